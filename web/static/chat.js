// The chat page client: sends questions to /api/v1/query and draws the answers.
// Answer HTML comes rendered and escaped by the server; everything else is set as text.
"use strict";

const STORAGE_KEY = "negotiate.conversation";
const messages = document.getElementById("messages");
const empty = document.getElementById("empty");
const form = document.getElementById("ask");
const input = document.getElementById("question");
const send = document.getElementById("send");
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

function addQuestion(text) {
  const item = el("li", { class: "message question" });
  item.append(el("p", {}, text));
  messages.append(item);
  showEmpty();
}

function addCopyButtons(container) {
  // Only quoted scripts (they open with a quotation mark) are meant to be copied and said.
  for (const quote of container.querySelectorAll("blockquote")) {
    if (!/^\s*[“"]/.test(quote.textContent)) continue;
    const button = el("button", { type: "button", class: "copy", "aria-label": "Copy this script" }, "Copy");
    button.addEventListener("click", async () => {
      const text = quote.innerText.trim();
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
      setTimeout(() => (button.textContent = "Copy"), 1500);
    });
    quote.append(button);
  }
}

function addAnswer(answer) {
  const item = el("li", { class: "message answer", "data-message-id": answer.message_id, "data-intent": answer.intent });
  const body = el("div", { class: "body" });
  body.innerHTML = answer.answer_html; // rendered and escaped server-side
  addCopyButtons(body);
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
    const button = el("button", { type: "button", class: "rating", "data-rating": rating, "aria-pressed": "false" }, label);
    button.addEventListener("click", () => sendFeedback(answer, rating, rate, button));
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

function addError(text) {
  const item = el("li", { class: "message error", role: "alert" });
  item.append(el("p", {}, text));
  messages.append(item);
}

async function sendFeedback(answer, rating, group, button) {
  const response = await fetch("/api/v1/feedback", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ conversation_id: answer.conversation_id, message_id: answer.message_id, rating }),
  });
  if (response.ok) {
    for (const other of group.querySelectorAll("button")) other.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-pressed", "true");
    group.dataset.stored = rating;
  }
}

function setBusy(busy) {
  form.setAttribute("aria-busy", String(busy));
  send.disabled = busy;
  input.readOnly = busy;
  document.getElementById("loading")?.remove();
  if (busy) {
    const item = el("li", { class: "message loading", id: "loading", role: "status" }, "Looking it up in the guides…");
    messages.append(item);
  }
}

let busy = false;

async function ask(question) {
  question = question.trim();
  if (!question || busy) return; // one question at a time: answers arrive in order
  busy = true;
  addQuestion(question);
  input.value = "";
  setBusy(true);
  try {
    const response = await fetch("/api/v1/query", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question, conversation_id: conversationId }),
    });
    const data = await response.json();
    if (response.status === 404 && data.error && data.error.field === "conversation_id" && conversationId) {
      // The conversation is gone (forgotten, or this browser's session ended): start anew.
      localStorage.removeItem(STORAGE_KEY);
      conversationId = null;
      busy = false;
      messages.lastElementChild?.remove(); // the question, asked again below
      setBusy(false);
      return ask(question);
    }
    setBusy(false);
    if (!response.ok) {
      addError(data.error ? data.error.message : `Something went wrong (${response.status}).`);
      return;
    }
    conversationId = data.conversation_id;
    localStorage.setItem(STORAGE_KEY, conversationId);
    addAnswer(data).scrollIntoView({ block: "start", behavior: "smooth" });
  } catch (failure) {
    setBusy(false);
    addError("The server could not be reached. Try again.");
  } finally {
    busy = false;
    input.focus();
  }
}

async function restore() {
  if (!conversationId) return showEmpty();
  const response = await fetch(`/api/v1/conversations/${encodeURIComponent(conversationId)}`);
  if (!response.ok) {
    localStorage.removeItem(STORAGE_KEY);
    conversationId = null;
    return showEmpty();
  }
  const data = await response.json();
  for (const answer of data.answers) {
    addQuestion(answer.question);
    addAnswer(answer);
  }
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
  localStorage.removeItem(STORAGE_KEY);
  conversationId = null;
  messages.replaceChildren();
  showEmpty();
  input.focus();
});

restore();
