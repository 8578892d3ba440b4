// The chat page client: sends questions to /api/v1/query and draws the answers.
// Answer HTML comes rendered and escaped by the server; everything else is set as text.
"use strict";

const STORAGE_KEY = "negotiate.conversation";
const messages = document.getElementById("messages");
const empty = document.getElementById("empty");
const form = document.getElementById("ask");
const input = document.getElementById("question");
const send = document.getElementById("send");
const historyList = document.getElementById("history");
const historyEmpty = document.getElementById("history-empty");
let conversationId = localStorage.getItem(STORAGE_KEY);

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function showEmpty() {
  empty.hidden = messages.children.length > 0;
}

function reveal(node) {
  node.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

async function copyText(text, button, label) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = el("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  button.textContent = "Copied";
  setTimeout(() => (button.textContent = label), 1500);
}

function addQuestion(text) {
  const item = el("li", { class: "message question" });
  item.append(el("p", {}, text));
  messages.append(item);
  showEmpty();
  return item;
}

function addCopyButtons(container) {
  // Only quoted scripts (they open with a quotation mark) are meant to be copied and said;
  // Copy gives the script alone, without its quotation marks or the button's label.
  for (const quote of container.querySelectorAll("blockquote")) {
    if (!/^\s*[“"]/.test(quote.textContent)) continue;
    const script = quote.textContent.trim().replace(/^[“"]|[”"]$/g, "");
    const button = el("button", { type: "button", class: "copy", "aria-label": "Copy this script" }, "Copy");
    button.addEventListener("click", () => copyText(script, button, "Copy"));
    quote.append(button);
  }
  for (const card of container.querySelectorAll(".email-card")) {
    const button = card.querySelector(".copy-email");
    const plain = card.querySelector(".email-plain").value; // the server's plain text: no [n], real breaks
    button.addEventListener("click", () => copyText(plain, button, "Copy email"));
  }
}

// -- a cited excerpt, on hover, keyboard focus or a first tap --------------------------------

let popover = null;

function hideExcerpt() {
  popover?.remove();
  popover = null;
}

function showExcerpt(link, citation) {
  hideExcerpt();
  popover = el("div", { class: "excerpt-pop", role: "tooltip", id: "excerpt-pop" });
  popover.append(el("span", {}, citation.excerpt));
  const lines = citation.start_line === citation.end_line ? `${citation.start_line}` : `${citation.start_line}–${citation.end_line}`;
  popover.append(el("span", { class: "where" }, `${citation.guide_title} — ${citation.section} · ${citation.source_path}:${lines}`));
  document.body.append(popover);
  const box = link.getBoundingClientRect();
  const left = Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - popover.offsetWidth - 8);
  popover.style.left = `${Math.max(8, left)}px`;
  popover.style.top = `${window.scrollY + box.bottom + 6}px`;
  link.setAttribute("aria-describedby", "excerpt-pop");
}

function addExcerpts(body, citations) {
  const byUrl = new Map(citations.map((c) => [`/guides/${c.guide_id}#${c.section_id.split("#")[1]}`, c]));
  for (const link of body.querySelectorAll('a[href^="/guides/"]')) {
    const citation = byUrl.get(link.getAttribute("href"));
    if (!citation) continue;
    link.removeAttribute("title");
    link.addEventListener("mouseenter", () => showExcerpt(link, citation));
    link.addEventListener("mouseleave", hideExcerpt);
    link.addEventListener("focus", () => showExcerpt(link, citation));
    link.addEventListener("blur", hideExcerpt);
    link.addEventListener("touchend", (event) => {
      if (popover && link.getAttribute("aria-describedby") === "excerpt-pop") return; // second tap: follow
      event.preventDefault();
      showExcerpt(link, citation);
    });
  }
}

// -- answers --------------------------------------------------------------------------------

function addAnswer(answer) {
  const item = el("li", { class: "message answer", "data-message-id": answer.message_id, "data-intent": answer.intent });
  const body = el("div", { class: "body" });
  body.innerHTML = answer.answer_html; // rendered and escaped server-side
  addCopyButtons(body);
  addExcerpts(body, answer.citations);
  item.append(body);

  if (answer.citations.length) {
    const list = el("ol", { class: "citations", "aria-label": "Sources" });
    for (const c of answer.citations) {
      const li = el("li", { value: String(c.n) });
      const link = el("a", { href: `/guides/${c.guide_id}#${c.section_id.split("#")[1]}` }, `${c.guide_title} — ${c.section}`);
      const lines = c.start_line === c.end_line ? `${c.start_line}` : `${c.start_line}–${c.end_line}`;
      li.append(link, el("span", { class: "where" }, ` ${c.source_path}:${lines}`));
      list.append(li);
    }
    item.append(list);
  }

  const actions = el("div", { class: "actions" });
  const rate = el("div", { class: "rate", role: "group", "aria-label": "Was this helpful?" });
  // Words, not emoji: they read the same with any font and to a screen reader.
  for (const [rating, label] of [["up", "▲ Helpful"], ["down", "▼ Not helpful"]]) {
    const pressed = answer.your_rating === rating ? "true" : "false";
    const button = el("button", { type: "button", class: "rating", "data-rating": rating, "aria-pressed": pressed }, label);
    button.addEventListener("click", () => rateAnswer(answer, rating, rate, button, actions));
    rate.append(button);
  }
  actions.append(rate);
  if (answer.follow_ups.length) {
    const chips = el("ul", { class: "chips follow-ups", "aria-label": "Follow-up questions" });
    for (const question of answer.follow_ups) {
      const li = el("li");
      const chip = el("button", { type: "button", class: "chip" }, question);
      chip.addEventListener("click", () => ask(question));
      li.append(chip);
      chips.append(li);
    }
    actions.append(chips);
  }
  item.append(actions);
  messages.append(item);
  showEmpty();
  return item;
}

function addError(text, retry) {
  const item = el("li", { class: "message error", role: "alert" });
  item.append(el("span", {}, text));
  if (retry) {
    const button = el("button", { type: "button", class: "ghost retry" }, "Retry");
    button.addEventListener("click", () => {
      item.remove();
      retry();
    });
    item.append(button);
  }
  messages.append(item);
  reveal(item);
}

async function sendFeedback(answer, rating, comment) {
  const response = await fetch("/api/v1/feedback", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ conversation_id: answer.conversation_id, message_id: answer.message_id, rating, comment }),
  });
  return response.ok;
}

async function rateAnswer(answer, rating, group, button, actions) {
  if (!(await sendFeedback(answer, rating, null))) return;
  for (const other of group.querySelectorAll("button")) other.setAttribute("aria-pressed", "false");
  button.setAttribute("aria-pressed", "true");
  actions.querySelector(".comment")?.remove();
  if (rating !== "down") return;
  // What was wrong, if they care to say (optional: the rating is already kept).
  const box = el("form", { class: "comment" });
  const label = el("label", { class: "visually-hidden", for: `comment-${answer.message_id}` }, "What was wrong?");
  const text = el("textarea", { id: `comment-${answer.message_id}`, rows: "1", maxlength: "2000", placeholder: "What was wrong? (optional)" });
  const submit = el("button", { type: "submit", class: "ghost" }, "Send");
  box.append(label, text, submit);
  box.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (text.value.trim() && (await sendFeedback(answer, "down", text.value.trim()))) {
      box.replaceWith(el("span", { class: "hint", role: "status" }, "Thanks — noted."));
    }
  });
  actions.append(box);
  text.focus();
}

function setBusy(isBusy) {
  form.setAttribute("aria-busy", String(isBusy));
  send.disabled = isBusy;
  input.readOnly = isBusy;
  document.getElementById("loading")?.remove();
  if (isBusy) {
    const item = el("li", { class: "message loading", id: "loading", role: "status" }, "Looking it up in the guides…");
    messages.append(item);
    reveal(item);
  }
}

let busy = false;

async function ask(question) {
  question = question.trim();
  if (!question || busy) return; // one question at a time: answers arrive in order
  busy = true;
  const asked = addQuestion(question);
  reveal(asked);
  input.value = "";
  setBusy(true);
  try {
    const response = await fetch("/api/v1/query", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question, conversation_id: conversationId }),
    });
    const data = await response.json();
    setBusy(false);
    if (response.status === 404 && data.error && data.error.field === "conversation_id" && conversationId) {
      // The conversation is gone (forgotten, or this browser's session ended): start anew.
      forgetConversation();
      asked.remove();
      busy = false;
      return ask(question);
    }
    if (!response.ok) {
      asked.remove();
      const message = data.error ? data.error.message : `Something went wrong (${response.status}).`;
      addError(message, () => ask(question));
      input.value = question; // kept, to edit or send again
      return;
    }
    const isNew = conversationId !== data.conversation_id;
    conversationId = data.conversation_id;
    localStorage.setItem(STORAGE_KEY, conversationId);
    addAnswer(data);
    asked.scrollIntoView({ block: "start", behavior: "smooth" }); // the answer reads from its question
    if (isNew) loadHistory();
  } catch (failure) {
    setBusy(false);
    asked.remove();
    addError("The server could not be reached.", () => ask(question));
    input.value = question;
  } finally {
    busy = false;
    input.focus();
  }
}

// -- conversations --------------------------------------------------------------------------

function forgetConversation() {
  localStorage.removeItem(STORAGE_KEY);
  conversationId = null;
}

async function open(id) {
  const response = await fetch(`/api/v1/conversations/${encodeURIComponent(id)}`);
  if (!response.ok) {
    if (id === conversationId) forgetConversation();
    return false;
  }
  const data = await response.json();
  messages.replaceChildren();
  conversationId = id;
  localStorage.setItem(STORAGE_KEY, id);
  let last = null;
  for (const answer of data.answers) {
    addQuestion(answer.question);
    last = addAnswer(answer);
  }
  showEmpty();
  markCurrent();
  last?.previousElementSibling?.scrollIntoView({ block: "start" }); // reopen at the latest exchange
  return true;
}

function markCurrent() {
  for (const link of historyList.querySelectorAll("a")) {
    link.setAttribute("aria-current", String(link.dataset.id === conversationId));
  }
}

async function loadHistory() {
  const response = await fetch("/api/v1/conversations");
  if (!response.ok) return;
  const items = await response.json();
  historyList.replaceChildren();
  for (const item of items) {
    const li = el("li");
    const link = el("a", { href: `#${item.conversation_id}`, "data-id": item.conversation_id, title: item.title }, item.title);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      open(item.conversation_id);
    });
    li.append(link);
    historyList.append(li);
  }
  historyEmpty.hidden = items.length > 0;
  markCurrent();
}

async function restore() {
  if (!conversationId || !(await open(conversationId))) {
    messages.replaceChildren();
    showEmpty();
  }
  loadHistory();
}

function watchReadiness() {
  // The "still loading" notice goes away by itself once the server can answer.
  const notice = document.getElementById("loading-notice");
  if (!notice) return;
  const check = async () => {
    try {
      if ((await fetch("/readyz")).ok) return location.reload(); // suggestions come with the page
    } catch {}
    setTimeout(check, 1500);
  };
  setTimeout(check, 1000);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  ask(input.value);
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ask(input.value);
  }
});
for (const chip of document.querySelectorAll("#empty .chip")) {
  chip.addEventListener("click", () => ask(chip.dataset.question));
}
document.getElementById("new-chat").addEventListener("click", () => {
  forgetConversation();
  messages.replaceChildren();
  showEmpty();
  markCurrent();
  input.focus();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") hideExcerpt();
});

restore();
watchReadiness();
