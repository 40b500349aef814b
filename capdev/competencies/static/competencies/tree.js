/* The competency authoring tree: collapse, search, keyboard and drag-and-drop moves.
 *
 * The server renders everything and does every change (htmx requests); this script only adds
 * what needs the browser: folding branches (remembered for the tab), filtering the tree as you
 * type, moving an item with the arrow keys on its handle or by dragging it, putting the focus
 * back where the person was after htmx swaps the tree, and announcing the result to screen
 * readers through the #tree-status live region. No dependency beyond htmx.
 */
(function () {
  "use strict";

  const tree = document.getElementById("tree");
  if (!tree) return;

  const storageKey = "capdev-tree-collapsed-" + (tree.dataset.version || "");
  const search = document.getElementById("tree-search");
  const statusRegion = document.getElementById("tree-status");
  const alertRegion = document.getElementById("tree-alert");
  const messagesNode = document.getElementById("tree-messages");
  const messages = messagesNode ? JSON.parse(messagesNode.textContent) : {};
  const rtl = document.documentElement.dir === "rtl";
  let busy = false;
  let lastControl = null; // "handle" | "menu" | "row" after a move; where the focus goes back
  let addTrigger = null; // the control that opened the "new item" form
  let expectingForm = false;

  function t(key, params) {
    let text = messages[key] || key;
    Object.entries(params || {}).forEach(([name, value]) => {
      text = text.split("%(" + name + ")s").join(String(value));
    });
    return text;
  }

  function announce(text) {
    if (!statusRegion || !text) return;
    statusRegion.textContent = "";
    // A short delay makes screen readers announce the same text twice in a row too.
    window.setTimeout(() => { statusRegion.textContent = text; }, 60);
  }

  function showAlert(text, level) {
    if (!alertRegion) return;
    alertRegion.innerHTML = "";
    if (!text) return;
    const box = document.createElement("div");
    box.className = "alert alert-" + (level || "danger") + " alert-dismissible py-2 small";
    box.setAttribute("role", "alert");
    box.textContent = text;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", t("close"));
    box.appendChild(close);
    alertRegion.appendChild(box);
  }

  function csrfHeaders() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    } catch (e) {
      return {};
    }
  }

  // Folding -----------------------------------------------------------------------------------

  function collapsedIds() {
    try {
      return new Set(JSON.parse(window.sessionStorage.getItem(storageKey) || "[]"));
    } catch (e) {
      return new Set();
    }
  }

  function saveCollapsed(ids) {
    try {
      window.sessionStorage.setItem(storageKey, JSON.stringify(Array.from(ids)));
    } catch (e) { /* private mode: folding is simply not remembered */ }
  }

  function setExpanded(toggle, expanded) {
    const list = document.getElementById(toggle.getAttribute("aria-controls"));
    toggle.setAttribute("aria-expanded", expanded ? "true" : "false");
    if (list) list.hidden = !expanded;
  }

  function applyCollapsed() {
    const ids = collapsedIds();
    tree.querySelectorAll(".tree-toggle").forEach((toggle) => {
      const node = toggle.closest(".tree-node");
      setExpanded(toggle, !ids.has(node.dataset.item));
    });
  }

  function rememberToggle(toggle) {
    const ids = collapsedIds();
    const id = toggle.closest(".tree-node").dataset.item;
    if (toggle.getAttribute("aria-expanded") === "true") ids.delete(id); else ids.add(id);
    saveCollapsed(ids);
  }

  function setAll(expanded) {
    const ids = new Set();
    tree.querySelectorAll(".tree-toggle").forEach((toggle) => {
      setExpanded(toggle, expanded);
      if (!expanded) ids.add(toggle.closest(".tree-node").dataset.item);
    });
    saveCollapsed(ids);
    announce(t(expanded ? "expanded" : "collapsed"));
  }

  function revealNode(node) {
    // Open every folded ancestor so the node can be seen and focused.
    let parent = node.parentElement && node.parentElement.closest(".tree-node");
    while (parent) {
      const toggle = parent.querySelector(":scope > .tree-line > .tree-toggle");
      if (toggle && toggle.getAttribute("aria-expanded") === "false") {
        setExpanded(toggle, true);
        rememberToggle(toggle);
      }
      parent = parent.parentElement && parent.parentElement.closest(".tree-node");
    }
  }

  // Search ------------------------------------------------------------------------------------

  function normalise(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function applySearch(announceResult) {
    if (!search) return;
    const raw = search.value.trim();
    const query = normalise(raw);
    const nodes = Array.from(tree.querySelectorAll(".tree-node[data-item]"));
    if (!query) {
      nodes.forEach((node) => {
        node.hidden = false;
        const row = node.querySelector(":scope > .tree-line > .tree-row");
        if (row) row.classList.remove("tree-match");
      });
      applyCollapsed();
      if (announceResult) announce(t("cleared"));
      return;
    }
    let count = 0;
    const hasMatch = new Map();
    // Children come after their parent in document order: walk backwards so a parent knows
    // whether anything below it matched.
    for (let i = nodes.length - 1; i >= 0; i -= 1) {
      const node = nodes[i];
      const row = node.querySelector(":scope > .tree-line > .tree-row");
      const own = row ? normalise(row.textContent).includes(query) : false;
      if (row) row.classList.toggle("tree-match", own);
      if (own) count += 1;
      const list = node.querySelector(":scope > .tree-children");
      const below = list
        ? Array.from(list.children).some((child) => hasMatch.get(child))
        : false;
      hasMatch.set(node, own || below);
      node.hidden = !(own || below);
      const toggle = node.querySelector(":scope > .tree-line > .tree-toggle");
      if (toggle && below) setExpanded(toggle, true);
    }
    if (announceResult) {
      if (count === 0) announce(t("noMatch", { q: raw }));
      else if (count === 1) announce(t("oneMatch", { q: raw }));
      else announce(t("matches", { n: count, q: raw }));
    }
  }

  // Moves -------------------------------------------------------------------------------------

  function post(url, values) {
    if (busy || !window.htmx) return;
    busy = true;
    showAlert("");
    window.htmx
      .ajax("POST", url, { target: "#tree", swap: "innerHTML", values: values, headers: csrfHeaders() })
      .finally(() => { busy = false; });
  }

  const KEY_MOVES = {
    ArrowUp: "up",
    ArrowDown: "down",
    ArrowRight: rtl ? "outdent" : "indent",
    ArrowLeft: rtl ? "indent" : "outdent",
  };

  tree.addEventListener("keydown", (event) => {
    const handle = event.target.closest(".tree-handle");
    if (handle && KEY_MOVES[event.key] && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      lastControl = "handle";
      post(handle.dataset.moveUrl, { direction: KEY_MOVES[event.key] });
      return;
    }
    if (event.key === "Escape") {
      const form = event.target.closest(".tree-form");
      if (!form) return;
      const cancel = form.querySelector("[data-tree-cancel], [data-tree-cancel-new]");
      if (cancel) {
        event.preventDefault();
        cancel.click();
      }
    }
  });

  // Drag and drop: the handle arms its item as draggable, rows are the drop targets.
  let dragged = null;
  let dropRow = null;
  let dropPlace = null;

  function clearDrop() {
    if (dropRow) dropRow.classList.remove("drop-before", "drop-after", "drop-inside");
    dropRow = null;
    dropPlace = null;
  }

  tree.addEventListener("pointerdown", (event) => {
    const handle = event.target.closest(".tree-handle");
    if (handle) handle.closest(".tree-node").setAttribute("draggable", "true");
  });

  tree.addEventListener("pointerup", (event) => {
    const handle = event.target.closest(".tree-handle");
    if (handle && !dragged) handle.closest(".tree-node").removeAttribute("draggable");
  });

  tree.addEventListener("dragstart", (event) => {
    const node = event.target.closest && event.target.closest(".tree-node[draggable]");
    if (!node) return;
    dragged = node;
    node.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", node.dataset.code || node.dataset.item);
    announce(t("moving", { code: node.dataset.code }));
  });

  tree.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const row = event.target.closest(".tree-row");
    const node = row && !row.classList.contains("tree-form") ? row.closest(".tree-node[data-item]") : null;
    if (!node || node === dragged || dragged.contains(node)) {
      clearDrop();
      event.dataTransfer.dropEffect = "none";
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const box = row.getBoundingClientRect();
    const ratio = (event.clientY - box.top) / Math.max(box.height, 1);
    const place = ratio < 0.3 ? "before" : ratio > 0.7 ? "after" : "inside";
    if (row !== dropRow || place !== dropPlace) {
      clearDrop();
      dropRow = row;
      dropPlace = place;
      row.classList.add("drop-" + place);
    }
  });

  tree.addEventListener("dragleave", (event) => {
    if (dropRow && !dropRow.contains(event.relatedTarget)) clearDrop();
  });

  tree.addEventListener("drop", (event) => {
    if (!dragged || !dropRow) return;
    event.preventDefault();
    const target = dropRow.closest(".tree-node[data-item]");
    const handle = dragged.querySelector(":scope > .tree-line .tree-handle");
    const place = dropPlace;
    clearDrop();
    if (handle && target) {
      lastControl = "handle";
      post(handle.dataset.moveUrl, { target: target.dataset.item, place: place });
    }
  });

  tree.addEventListener("dragend", () => {
    clearDrop();
    if (dragged) {
      dragged.classList.remove("is-dragging");
      dragged.removeAttribute("draggable");
    }
    dragged = null;
  });

  // Clicks ------------------------------------------------------------------------------------

  document.addEventListener("click", (event) => {
    const toggle = event.target.closest(".tree-toggle");
    if (toggle && tree.contains(toggle)) {
      setExpanded(toggle, toggle.getAttribute("aria-expanded") !== "true");
      rememberToggle(toggle);
      return;
    }
    if (event.target.closest("[data-tree-expand]")) { setAll(true); return; }
    if (event.target.closest("[data-tree-collapse]")) { setAll(false); return; }
    const cancelNew = event.target.closest("[data-tree-cancel-new]");
    if (cancelNew) {
      const form = document.getElementById("new-item");
      if (form) form.remove();
      focusControl(addTrigger);
      addTrigger = null;
      return;
    }
    const moveButton = event.target.closest(".tree-actions button[name=direction]");
    if (moveButton) lastControl = "menu";
  });

  function focusControl(control) {
    if (!control) return;
    // A control inside a closed dropdown menu cannot take the focus: use its toggle.
    const menu = control.closest(".dropdown-menu");
    const target = menu ? menu.parentElement.querySelector("[data-bs-toggle=dropdown]") : control;
    if (target && document.body.contains(target)) target.focus();
  }

  // After htmx ---------------------------------------------------------------------------------

  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const elt = event.detail.elt;
    if (elt && elt.matches && elt.matches("[data-add-item]")) {
      const open = document.getElementById("new-item");
      if (open) open.remove();
      addTrigger = elt;
      expectingForm = true;
    }
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (!target) return;
    if (target.id === "tree") {
      afterTreeSwap();
      return;
    }
    const swapped = target.id ? document.getElementById(target.id) : null;
    const fresh = document.getElementById("new-item");
    if (fresh && (expectingForm || target.id === "new-item")) {
      expectingForm = false;
      const field = fresh.querySelector(".is-invalid") || fresh.querySelector("textarea[name=statement]");
      if (field) field.focus();
      return;
    }
    if (swapped && swapped.classList.contains("tree-form")) {
      const field = swapped.querySelector(".is-invalid") || swapped.querySelector("textarea[name=statement]");
      if (field) field.focus();
      return;
    }
    if (swapped && swapped.classList.contains("tree-row")) {
      const edit = swapped.querySelector(".tree-actions a");
      if (edit) edit.focus();
      if (swapped.dataset.announce) announce(swapped.dataset.announce);
      applySearch(false);
    }
  });

  function afterTreeSwap() {
    const body = document.getElementById("tree-body");
    const summary = document.getElementById("tree-summary");
    const template = document.getElementById("tree-summary-update");
    if (summary && template) summary.textContent = template.content.textContent.trim();
    applyCollapsed();
    applySearch(false);
    if (!body) return;
    const node = body.dataset.focus ? document.getElementById("node-" + body.dataset.focus) : null;
    if (node) {
      revealNode(node);
      node.classList.add("is-moved");
      const line = node.querySelector(":scope > .tree-line");
      const control =
        lastControl === "menu"
          ? line.querySelector("[data-bs-toggle=dropdown]")
          : line.querySelector(".tree-handle") || line.querySelector(".tree-actions a");
      if (control) control.focus({ preventScroll: true });
      node.scrollIntoView({ block: "nearest" });
    } else {
      const heading = document.getElementById("tree-heading");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
    lastControl = null;
    if (body.dataset.announce) announce(body.dataset.announce);
  }

  // Messages sent by the server with HX-Trigger (a refused move, a failed delete...).
  document.body.addEventListener("capdev:tree-message", (event) => {
    const detail = event.detail || {};
    showAlert(detail.text, detail.level);
    announce(detail.text);
  });

  document.body.addEventListener("htmx:responseError", (event) => {
    if (tree.contains(event.detail.elt) || event.detail.target === tree) {
      showAlert(t("failed"), "danger");
      announce(t("failed"));
    }
  });

  if (search) {
    let timer = null;
    search.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => applySearch(true), 200);
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && search.value) {
        search.value = "";
        applySearch(true);
      }
    });
  }

  applyCollapsed();
  if (search && search.value) applySearch(false);
  if (window.location.hash.indexOf("#node-") === 0) {
    const node = document.getElementById(window.location.hash.slice(1));
    if (node) {
      revealNode(node);
      node.scrollIntoView({ block: "center" });
    }
  }
})();
