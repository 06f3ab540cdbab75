/* The letter editor: turns the letter form's textarea (.editor-source) into a Squire rich-text area with a small
   toolbar. No inline scripts or styles (the site's Content-Security-Policy forbids them). Pasted HTML is cut down to
   the tags the server keeps (ouderportaal/letters/html.py, which sanitises everything again with nh3 on save). */
(function () {
  "use strict";

  var TAGS = ["P", "BR", "STRONG", "B", "EM", "I", "U", "S", "H2", "H3", "UL", "OL", "LI", "BLOCKQUOTE", "A", "DIV"];
  var DROP = ["SCRIPT", "STYLE", "IFRAME", "OBJECT", "EMBED", "TEMPLATE", "NOSCRIPT", "SVG", "MATH", "HEAD", "TITLE", "META", "LINK"];
  var SCHEMES = /^(https?:|mailto:)/i;

  // Our own paste sanitiser for Squire: parse into an inert <template>, keep the allowed tags, unwrap the rest.
  function clean(node) {
    Array.prototype.slice.call(node.childNodes).forEach(function (child) {
      if (child.nodeType === Node.COMMENT_NODE) {
        child.remove();
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (DROP.indexOf(child.nodeName) !== -1) {
          child.remove();
          return;
        }
        clean(child);
        if (TAGS.indexOf(child.nodeName) === -1) {
          child.replaceWith.apply(child, Array.prototype.slice.call(child.childNodes));
          return;
        }
        Array.prototype.slice.call(child.attributes).forEach(function (attribute) {
          var keep = child.nodeName === "A" && attribute.name === "href" && SCHEMES.test(attribute.value.trim());
          if (!keep) child.removeAttribute(attribute.name);
        });
      }
    });
    return node;
  }

  function sanitizeToDOMFragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return document.importNode(clean(template.content), true);
  }

  var BUTTONS = [
    { key: "bold", label: "B", title: "Vet", format: "B", on: "bold", off: "removeBold" },
    { key: "italic", label: "I", title: "Cursief", format: "I", on: "italic", off: "removeItalic" },
    { key: "underline", label: "U", title: "Onderstreept", format: "U", on: "underline", off: "removeUnderline" },
    { key: "ul", label: "•", title: "Opsomming", format: "UL", on: "makeUnorderedList", off: "removeList" },
    { key: "ol", label: "1.", title: "Genummerde lijst", format: "OL", on: "makeOrderedList", off: "removeList" },
    { key: "link", label: "Link", title: "Link", format: "A", on: "link", off: "removeLink" },
    { key: "undo", label: "↶", title: "Ongedaan maken", on: "undo" },
    { key: "redo", label: "↷", title: "Opnieuw", on: "redo" },
  ];

  function init(textarea) {
    var strings = textarea.dataset;
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (label && !label.id) label.id = textarea.id + "_label";

    var wrapper = document.createElement("div");
    wrapper.className = "editor";
    var toolbar = document.createElement("div");
    toolbar.className = "editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", strings.toolbarLabel || "Opmaak");
    var area = document.createElement("div");
    area.className = "editor-area";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    if (label) area.setAttribute("aria-labelledby", label.id);
    var help = textarea.getAttribute("aria-describedby");
    if (help) area.setAttribute("aria-describedby", help);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    textarea.parentNode.insertBefore(wrapper, textarea);
    textarea.hidden = true;

    var editor = new window.Squire(area, { blockTag: "P", sanitizeToDOMFragment: sanitizeToDOMFragment });
    editor.setHTML(textarea.value);

    var buttons = {};
    BUTTONS.forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec.label;
      var title = strings[spec.key + "Label"] || spec.title;
      button.title = title;
      button.setAttribute("aria-label", title);
      if (spec.format) button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        var active = spec.format && editor.hasFormat(spec.format);
        if (spec.on === "link" && !active) {
          var url = window.prompt(strings.linkPrompt || "Adres van de link (https://…)", "https://");
          if (url && SCHEMES.test(url.trim())) editor.makeLink(url.trim());
        } else {
          editor[active ? spec.off : spec.on]();
        }
        editor.focus();
      });
      toolbar.appendChild(button);
      buttons[spec.key] = { button: button, spec: spec };
    });

    function sync() {
      textarea.value = editor.getHTML();
      Object.keys(buttons).forEach(function (key) {
        var item = buttons[key];
        if (item.spec.format) item.button.setAttribute("aria-pressed", String(editor.hasFormat(item.spec.format)));
      });
    }
    editor.addEventListener("input", sync);
    editor.addEventListener("pathChange", sync);
    textarea.form.addEventListener("submit", sync);
  }

  function start() {
    if (!window.Squire) return; // without the engine the plain textarea stays
    Array.prototype.forEach.call(document.querySelectorAll("textarea.editor-source"), init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
