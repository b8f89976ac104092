from django import forms, template

register = template.Library()


@register.filter
def bootstrap(field):
    """Render a bound field's widget with Bootstrap's class (and the invalid state)."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "choice-list"  # Django puts the class on the list's <div> too: styled in theme.css
    elif isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def audit_sentence(entry):
    """An audit entry in words (cqphub.orgs.audit_text)."""
    from cqphub.orgs.audit_text import sentence

    return sentence(entry)
