// Grid entry on a phone: each choice (and each comment, when left) is saved at once; the status line
// says how many criteria remain. Without JavaScript the "Enregistrer" button saves the whole form.
// Saves go one after the other, in the order the assessor made them: two quick taps on the same
// criterion must store the last one, and the status line must describe the last save, not whichever
// reply happened to come back last.
(function () {
  "use strict";
  function init() {
    var form = document.querySelector("form[data-autosave]");
    if (!form) return;
    var url = form.getAttribute("data-autosave");
    var status = document.querySelector("[data-grid-status]");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var lang = document.documentElement.lang || "fr";
    var queue = Promise.resolve();
    function say(text) { if (status) status.textContent = text; }
    function send(data) {
      queue = queue.then(function () { return post(data); });
    }
    function post(data) {
      data.append("csrfmiddlewaretoken", token);
      return fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
        .then(function (pair) {
          var ok = pair[0], body = pair[1];
          if (!ok) { say(body.error || (lang === "en" ? "Not saved." : "Non enregistré.")); return; }
          say(lang === "en"
            ? "Saved — " + body.met + " of " + body.total + " criteria met, " + body.missing + " left."
            : "Enregistré — " + body.met + " critère(s) satisfait(s) sur " + body.total + ", " + body.missing + " à évaluer.");
        })
        .catch(function () { say(lang === "en" ? "Offline: use the Save button." : "Hors ligne : utilisez le bouton Enregistrer."); });
    }
    function save(input) {
      var data = new FormData();
      if (input.hasAttribute("data-criterion")) {
        data.append("criterion", input.getAttribute("data-criterion"));
        data.append("value", input.value);
        send(data);
      } else if (input.hasAttribute("data-comment")) {
        data.append("criterion", input.getAttribute("data-comment"));
        data.append("comment", input.value);
        send(data);
      }
    }
    form.addEventListener("change", function (event) { save(event.target); });
    // A choice made before this script ran (a quick tap on a slow connection, or a value the browser
    // restored) fired no handler: what the page shows differs from what the server sent, so save it now.
    form.querySelectorAll("input[data-criterion]").forEach(function (input) {
      if (input.checked && !input.defaultChecked) save(input);
    });
    form.querySelectorAll("textarea[data-comment]").forEach(function (input) {
      if (input.value !== input.defaultValue) save(input);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
