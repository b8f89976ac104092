/* Progressive enhancement for the shared components; the pages work without it. No inline script (CSP). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    // Header menu button (small screens): toggles the menu, keeps aria-expanded in step, Escape closes.
    document.querySelectorAll("[data-menu-button]").forEach(function (button) {
      var menu = document.getElementById(button.getAttribute("aria-controls"));
      if (!menu) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", String(open));
        menu.classList.toggle("is-open", open);
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
          button.setAttribute("aria-expanded", "false");
          menu.classList.remove("is-open");
          button.focus();
        }
      });
    });

    // Print buttons (data-print): shown and wired here, since the CSP refuses inline handlers; hidden
    // without JavaScript, where they could not work (the browser's own print still does).
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });

    // Filters applied on change: a GET form marked data-autosubmit submits when a field changes
    // (text fields on Enter, as usual). Its submit button stays for keyboard and no-JS users.
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      form.addEventListener("change", function (event) {
        var target = event.target;
        if (target && (target.type === "text" || target.type === "search")) { return; }
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    });

    // Language switch: change on select, no separate button needed (kept for no-JS users).
    document.querySelectorAll("form[data-submit-on-change] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });

    // A table wider than the screen scrolls inside its wrapper: the wrapper must be reachable with the
    // keyboard (WCAG 2.1.1) and named, whichever template wrote it.
    document.querySelectorAll(".table-responsive:not([tabindex])").forEach(function (wrapper) {
      wrapper.setAttribute("tabindex", "0");
      if (!wrapper.hasAttribute("role")) { wrapper.setAttribute("role", "region"); }
      if (!wrapper.hasAttribute("aria-label") && !wrapper.hasAttribute("aria-labelledby")) {
        var caption = wrapper.querySelector("caption");
        var heading = null;
        for (var el = wrapper.previousElementSibling; el && !heading; el = el.previousElementSibling) {
          if (/^H[1-6]$/.test(el.tagName)) { heading = el; }
        }
        var name = caption ? caption.textContent : (heading ? heading.textContent : document.title);
        wrapper.setAttribute("aria-label", name.trim());
      }
    });

    // The form error summary takes the focus so that screen reader users hear it first.
    var summary = document.querySelector(".cq-error-summary");
    if (summary) { summary.focus(); }

    // Destructive actions: a button or link with data-confirm asks first (the server-side confirmation
    // step remains the rule for deletions; this only guards small inline forms).
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });

    // In-place forms: a POST form marked data-inplace inside an element marked data-inplace-region (with an
    // id) is sent by fetch; the region is replaced by the same region of the page the server redirects to,
    // the address updated, and the focus put on the answer's [autofocus] element (the moved row's button).
    // Without fetch, or when the answer is not that page (a form with errors), the form is posted as usual.
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-inplace]") || !window.fetch || !window.DOMParser) { return; }
      var region = form.closest("[data-inplace-region]");
      if (!region || !region.id || event.defaultPrevented) { return; }
      event.preventDefault();
      var submitter = event.submitter || null;
      var data = new FormData(form);
      if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
      region.setAttribute("aria-busy", "true");
      function fallback() {
        region.removeAttribute("aria-busy");
        form.removeAttribute("data-inplace");
        if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
      }
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (!response.ok || !response.redirected) { throw new Error("not the page"); }
          return response.text().then(function (html) { return { html: html, url: response.url }; });
        })
        .then(function (answer) {
          var doc = new DOMParser().parseFromString(answer.html, "text/html");
          var fresh = doc.getElementById(region.id);
          if (!fresh) { throw new Error("no region"); }
          var old = document.querySelector(".messages");
          var news = doc.querySelector(".messages");
          if (old) { old.remove(); }
          fresh = document.importNode(fresh, true);
          region.replaceWith(fresh);
          if (news) {
            var main = document.getElementById("content") || document.body;
            main.insertBefore(document.importNode(news, true), main.firstChild);
          }
          window.history.replaceState(null, "", answer.url);
          var target = fresh.querySelector("[autofocus]");
          if (target) { target.focus(); }
        })
        .catch(fallback);
    });

    // "More" for capped lists (facets): items beyond data-cap are hidden behind a button.
    document.querySelectorAll("[data-cap]").forEach(function (list) {
      var cap = parseInt(list.getAttribute("data-cap"), 10);
      var items = Array.prototype.filter.call(list.children, function (el) { return !el.hasAttribute("data-keep"); });
      if (!(cap > 0) || items.length <= cap + 1) { return; }
      var hidden = items.slice(cap).filter(function (el) { return !el.querySelector("input:checked"); });
      if (!hidden.length) { return; }
      hidden.forEach(function (el) { el.hidden = true; });
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm p-0 cq-more";
      button.setAttribute("aria-expanded", "false");
      button.textContent = (list.getAttribute("data-more-label") || "+") + " (" + hidden.length + ")";
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        hidden.forEach(function (el) { el.hidden = !open; });
        button.setAttribute("aria-expanded", String(open));
        button.textContent = open ? (list.getAttribute("data-less-label") || "−")
          : (list.getAttribute("data-more-label") || "+") + " (" + hidden.length + ")";
      });
      list.parentNode.insertBefore(button, list.nextSibling);
    });
  });
}());
