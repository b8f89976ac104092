"""Comparing two versions' documents (pure)."""

from cqphub.qualifications.versions_diff import ADDED, CHANGED, REMOVED, compare, summary


def doc(**changes):
    base = {
        "qualification": {"title": "CQP Tourier"},
        "target_jobs": ["Tourier"],
        "activities": [
            {"code": "A1", "title": "Tourage", "description": "", "work_situations": [{"title": "Laminer"}]}
        ],
        "blocks": [
            {
                "code": "BC01",
                "title": "Tourage",
                "pass_rule": "all",
                "pass_threshold": None,
                "activities": ["A1"],
                "skills": [
                    {
                        "code": "C1",
                        "statement": "Préparer la détrempe",
                        "transversal": False,
                        "knowledge": ["Farine"],
                        "criteria": ["Pesées justes"],
                    }
                ],
                "methods": [{"kind": "practical_work", "description": ""}],
                "tests": [],
            }
        ],
    }
    base.update(changes)
    return base


def test_identical_versions_have_no_change():
    assert compare(doc(), doc()) == []


def test_added_removed_changed_rows():
    new = doc()
    new["blocks"][0]["skills"][0]["statement"] = "Préparer la détrempe et le beurre"
    new["blocks"][0]["skills"][0]["criteria"] = ["Pesées justes", "Température 22-24 °C"]
    new["blocks"][0]["skills"].append(
        {"code": "C2", "statement": "Tourer", "transversal": False, "knowledge": [], "criteria": []}
    )
    new["blocks"][0]["pass_rule"], new["blocks"][0]["pass_threshold"] = "threshold", 2
    new["blocks"].append({"code": "BC02", "title": "Cuisson", "skills": [], "methods": [], "tests": []})
    new["activities"] = []
    new["blocks"][0]["activities"] = []
    new["target_jobs"] = ["Tourier", "Viennoisier"]
    changes = compare(doc(), new)
    paths = {(c.kind, c.path) for c in changes}
    assert (CHANGED, "BC01 › C1 › énoncé") in paths
    assert (ADDED, "BC01 › C1 › critères") in paths
    assert (ADDED, "BC01 › C2") in paths
    assert (CHANGED, "BC01 › règle de validation") in paths and (CHANGED, "BC01 › seuil") in paths
    assert (ADDED, "BC02") in paths
    assert (REMOVED, "A1") in paths
    assert (REMOVED, "BC01 › activités") in paths
    assert (ADDED, "métiers visés") in paths
    assert summary(changes)[ADDED] >= 3 and summary(changes)[REMOVED] >= 2
    # and the other way round
    back = {(c.kind, c.path) for c in compare(new, doc())}
    assert (REMOVED, "BC02") in back and (ADDED, "A1") in back
