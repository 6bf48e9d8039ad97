/**
 * The overlay page: plain HTML, CSS and JavaScript (no build step), served as they are written
 * here. The script reads Server-Sent Events from `events`, builds every element with
 * `createElement`, `textContent` and attributes (never HTML from a message), takes only `http:`
 * and `https:` picture URLs and `#RRGGBB` colours, keeps the last `lines` messages, and removes
 * deleted ones. An emote picture that does not load shows the emote's name; after a lost
 * connection (the browser reconnects by itself) the page starts again from what the server sends. The background is transparent (an OBS browser source shows the scene under it).
 *
 * @since 0.1.0
 * @internal
 */

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * The page, for a channel and a default number of lines (`?lines=` overrides it).
 *
 * @since 0.1.0
 * @internal
 */
export const html = (channel: string, lines: number, fadeAfter: number): string =>
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>#${escapeHtml(channel)} chat overlay</title>
<link rel="stylesheet" href="overlay.css">
</head>
<body data-lines="${lines}" data-fade="${fadeAfter}">
<ol id="chat" aria-live="polite"></ol>
<script src="overlay.js"></script>
</body>
</html>
`

/**
 * The style sheet.
 *
 * @since 0.1.0
 * @internal
 */
export const css = `html, body { margin: 0; background: transparent; }
body {
  font: 600 20px/1.5 "Inter", "Segoe UI", "Roboto", "Helvetica Neue", Arial, sans-serif;
  color: #fff;
  overflow: hidden;
}
#chat {
  position: fixed; left: 0; right: 0; bottom: 0;
  margin: 0; padding: 8px; list-style: none;
  display: flex; flex-direction: column; gap: 4px;
}
.message {
  padding: 2px 8px; border-radius: 6px;
  background: rgba(14, 14, 16, 0.62);
  text-shadow: 0 1px 2px #000;
  overflow-wrap: anywhere;
  transition: opacity 0.6s;
}
.message.faded { opacity: 0; }
.notice { display: block; font-size: 0.8em; color: #bf94ff; }
.reply { display: block; font-size: 0.75em; opacity: 0.7; }
.badge { height: 1.1em; vertical-align: middle; margin-right: 3px; }
.name { font-weight: 800; color: #bf94ff; }
.action .text { font-style: italic; }
.emote { position: relative; display: inline-block; vertical-align: middle; line-height: 0; }
.emote img { height: 1.75em; }
.emote img.overlay { position: absolute; left: 50%; top: 50%; transform: translate(-50%, -50%); }
.cheer img { height: 1.5em; vertical-align: middle; }
.cheer .amount { font-weight: 800; margin-left: 1px; }
.mention { font-weight: 800; }
.link { text-decoration: underline; }
`

/**
 * The script.
 *
 * @since 0.1.0
 * @internal
 */
export const js = `"use strict";
(function () {
  var params = new URLSearchParams(location.search);
  var wanted = Number(params.get("lines") || document.body.dataset.lines);
  var lines = Math.min(200, Math.max(1, Math.floor(wanted) || 15));
  var fade = Math.max(0, Number(params.get("fade") || document.body.dataset.fade) || 0);
  var list = document.getElementById("chat");
  var shown = new Map();

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function safeUrl(url) {
    try {
      var parsed = new URL(String(url), location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }
  function safeColor(color) {
    return typeof color === "string" && /^#[0-9a-fA-F]{6}$/.test(color) ? color : null;
  }
  function picture(url, name, className) {
    var src = safeUrl(url);
    if (src === null) return null;
    var img = el("img", className);
    img.alt = String(name);
    img.title = String(name);
    // A picture that does not load: an emote shows its name instead, a badge goes.
    img.onerror = function () {
      if (!img.parentNode) return;
      if (className === "badge") img.parentNode.removeChild(img);
      else img.parentNode.replaceChild(el("span", "text missing", String(name)), img);
    };
    img.src = src;
    return img;
  }
  function fragment(f) {
    if (f.kind === "emote") {
      var base = picture(f.url, f.name);
      if (base === null) return el("span", "text", f.name);
      var holder = el("span", "emote emote-" + String(f.source).replace(/[^a-z0-9]/g, ""));
      holder.appendChild(base);
      (f.overlays || []).forEach(function (o) {
        var top = picture(o.url, o.name, "overlay");
        if (top !== null) holder.appendChild(top);
      });
      return holder;
    }
    if (f.kind === "cheer") {
      var cheer = el("span", "cheer");
      // The prefix as typed (the text less its amount): the picture's name, shown if it fails.
      var typed = String(f.text);
      var prefix = typed.slice(0, Math.max(0, typed.length - String(f.amount).length));
      var img = picture(f.url, prefix);
      if (img !== null) cheer.appendChild(img);
      else cheer.appendChild(el("span", "text", prefix));
      var amount = el("span", "amount", String(f.amount));
      var color = safeColor(f.color);
      if (color !== null) amount.style.color = color;
      cheer.appendChild(amount);
      return cheer;
    }
    if (f.kind === "mention") return el("span", "mention", f.text);
    if (f.kind === "link") return el("span", "link", f.text);
    return el("span", "text", f.text);
  }
  function render(m) {
    var item = el("li", "message" + (m.action ? " action" : ""));
    item.dataset.id = String(m.id);
    item.dataset.user = String(m.userId);
    if (m.notice) item.appendChild(el("span", "notice", m.notice));
    if (m.replyTo) item.appendChild(el("span", "reply", "replying to @" + m.replyTo));
    (m.badges || []).forEach(function (b) {
      var badge = picture(b.url, b.title, "badge");
      if (badge !== null) item.appendChild(badge);
    });
    var name = el("span", "name", m.name);
    var color = safeColor(m.color);
    if (color !== null) name.style.color = color;
    item.appendChild(name);
    item.appendChild(document.createTextNode(m.action ? " " : ": "));
    var body = el("span", "body");
    if (m.action && color !== null) body.style.color = color;
    (m.fragments || []).forEach(function (f) { body.appendChild(fragment(f)); });
    item.appendChild(body);
    return item;
  }
  function remove(item) {
    shown.delete(item.dataset.id);
    if (item.parentNode) item.parentNode.removeChild(item);
  }
  function add(m) {
    if (shown.has(String(m.id))) return;
    var item = render(m);
    shown.set(String(m.id), item);
    list.appendChild(item);
    while (list.children.length > lines) remove(list.firstElementChild);
    if (fade > 0) {
      setTimeout(function () { item.classList.add("faded"); }, fade * 1000);
      setTimeout(function () { remove(item); }, fade * 1000 + 700);
    }
  }
  function handle(event) {
    if (event.type === "message") add(event);
    else if (event.type === "delete") {
      var item = shown.get(String(event.id));
      if (item) remove(item);
    } else if (event.type === "clearUser") {
      Array.prototype.slice.call(list.children).forEach(function (child) {
        if (child.dataset.user === String(event.userId)) remove(child);
      });
    } else if (event.type === "clear") {
      Array.prototype.slice.call(list.children).forEach(remove);
    }
  }
  var source = new EventSource("events");
  // On every (re)connection the server sends the messages still shown first: start from those.
  source.onopen = function () {
    Array.prototype.slice.call(list.children).forEach(remove);
  };
  source.onmessage = function (e) {
    try {
      handle(JSON.parse(e.data));
    } catch (error) {
      console.warn("overlay: skipped an event", error);
    }
  };
})();
`
