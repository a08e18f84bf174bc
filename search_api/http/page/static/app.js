// policykb: progressive enhancement only. Every feature here has a no-JavaScript path:
// the search form submits normally, facets and sort are links, the citation is text.
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var SUGGEST_LIMIT = "8";

  // ------------------------------------------------------------ suggestions (combobox)
  function initSuggestions() {
    var input = document.getElementById("q");
    var list = document.getElementById("suggestions");
    if (!input || !list) return;
    var composing = false; // true between compositionstart and compositionend (IME)
    var timer = 0;
    var controller = null;
    var items = [];
    var active = -1;

    // While an IME composes (pinyin "jineng" before it becomes 技能), the text is not what
    // the user means: no request fires until the composition is committed.
    input.addEventListener("compositionstart", function () {
      composing = true;
      clearTimeout(timer);
    });
    input.addEventListener("compositionend", function () {
      composing = false;
      schedule();
    });
    input.addEventListener("input", function (event) {
      if (composing || event.isComposing) return;
      schedule();
    });

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(load, DEBOUNCE_MS);
    }

    function load() {
      var q = input.value.trim();
      if (composing) return;
      if (!q) {
        close();
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      var url = "/api/suggest?" + new URLSearchParams({ q: q, limit: SUGGEST_LIMIT }).toString();
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === q && document.activeElement === input) render(data.suggestions || []);
        })
        .catch(function (error) {
          if (error.name !== "AbortError") close();
        });
    }

    function render(suggestions) {
      items = suggestions;
      active = -1;
      list.replaceChildren();
      suggestions.forEach(function (s, i) {
        var option = document.createElement("li");
        option.id = "suggestion-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.textContent = s.title; // textContent: document text never becomes markup
        option.appendChild(title);
        var meta = [s.doc_number, s.date].filter(Boolean).join(" · ");
        if (meta) {
          var small = document.createElement("span");
          small.className = "s-meta";
          small.textContent = meta;
          option.appendChild(small);
        }
        // mousedown, not click: it fires before the input's blur closes the list.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          go(i);
        });
        list.appendChild(option);
      });
      var open = suggestions.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
      input.removeAttribute("aria-activedescendant");
    }

    function close() {
      clearTimeout(timer);
      list.hidden = true;
      list.replaceChildren();
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function select(i) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, j) {
        option.setAttribute("aria-selected", String(j === i));
      });
      active = i;
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    }

    function go(i) {
      var url = items[i] && items[i].url;
      // Only our own relative page URLs are followed.
      if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") window.location.assign(url);
    }

    input.addEventListener("keydown", function (event) {
      if (event.isComposing || composing) return; // Enter/arrows belong to the IME then
      if (list.hidden || !items.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        select((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        select((active - 1 + items.length) % items.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        go(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
  }

  // ------------------------------------------------------------ controls that submit on change
  function initAutosubmit() {
    document.querySelectorAll("[data-autosubmit]").forEach(function (control) {
      control.addEventListener("change", function () {
        var form = control.form;
        if (!form) return;
        if (form.requestSubmit) form.requestSubmit();
        else form.submit();
      });
    });
  }

  // ------------------------------------------------------------ copy citation
  function copyText(text, fallbackNode) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var range = document.createRange();
      range.selectNodeContents(fallbackNode);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var ok = document.execCommand && document.execCommand("copy");
      if (ok) resolve();
      else reject(new Error("copy refused"));
    });
  }

  function initCopy() {
    document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy-from"));
      var status = button.parentNode.querySelector(".copy-status");
      if (!source) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(source.textContent.trim(), source).then(
          function () {
            if (status) status.textContent = "已复制引用";
          },
          function () {
            if (status) status.textContent = "无法自动复制，请手动选择引用文字";
          }
        );
      });
    });
  }

  // ------------------------------------------------------------ filter panel
  // The facets sit in a <details> opened by the 筛选 button on a phone. From 48rem they are
  // a sidebar: CSS shows a closed <details>' content where the browser supports
  // ::details-content; elsewhere the panel is opened here (and closed again on a phone).
  function initFilterPanel() {
    var panel = document.getElementById("filters");
    if (!panel || !window.matchMedia) return;
    var wide = window.matchMedia("(min-width: 48rem)");
    var sync = function () {
      if (wide.matches) panel.open = true;
      else if (!panel.dataset.touched) panel.open = false;
    };
    panel.addEventListener("toggle", function () {
      if (!wide.matches) panel.dataset.touched = "1";
    });
    sync();
    if (wide.addEventListener) wide.addEventListener("change", sync);
  }

  // ------------------------------------------------------------ query length
  // The box stops at maxlength; the hint below it says how much room is left near the end.
  function initLengthHint() {
    var input = document.getElementById("q");
    var hint = document.getElementById("q-hint");
    if (!input || !hint) return;
    var max = parseInt(hint.getAttribute("data-max"), 10);
    var plain = hint.textContent;
    if (!max) return;
    var update = function () {
      var left = max - input.value.length;
      if (left <= max / 5) {
        hint.textContent = "检索词最多" + max + "字，还可输入" + Math.max(0, left) + "字";
        hint.classList.add("near-limit");
      } else {
        hint.textContent = plain;
        hint.classList.remove("near-limit");
      }
    };
    input.addEventListener("input", update);
    update();
  }

  // ------------------------------------------------------------ passage page
  function showCurrentPassage() {
    var current = document.querySelector(".passage.current");
    if (!current || window.location.hash) return;
    // Centred when it fits; a passage taller than the screen (a table on a phone) opens at
    // its top, else its title and first rows were above the screen.
    var tall = current.getBoundingClientRect().height > window.innerHeight * 0.8;
    current.scrollIntoView({ block: tall ? "start" : "center" });
  }

  initSuggestions();
  initAutosubmit();
  initFilterPanel();
  initLengthHint();
  initCopy();
  showCurrentPassage();
})();
