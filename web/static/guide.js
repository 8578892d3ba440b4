// Highlight the section a citation link points at, and keep it highlighted when the
// hash changes without a reload.
"use strict";

function highlight() {
  for (const old of document.querySelectorAll(".cited.highlight")) old.classList.remove("highlight");
  const id = decodeURIComponent(location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (target) {
    target.classList.add("highlight");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }
}
window.addEventListener("hashchange", highlight);
highlight();
