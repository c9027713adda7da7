// Messages as the widget keeps them, and how live messages, history and resent pushes merge:
// a message the channel gave an id is shown once, whichever way and however often it arrives.

let counter = 0
const LOCAL = 'local-'
const localId = () => `${LOCAL}${Date.now()}-${++counter}`

/** True for an id the channel gave (stable across live delivery, resends and history). */
export const hasServerId = (message) => Boolean(message.id) && !message.id.startsWith(LOCAL)

/** A message as the widget keeps it, from what the channel sends (bot_uttered or history). */
export function toMessage(sender, payload) {
  const data = payload.data || payload
  const replies = data.quick_replies || data.buttons || []
  return {
    id: payload.id || localId(),
    sender,
    text: payload.text || '',
    replies: replies.map((r) => ({ title: r.title, payload: r.payload })),
    custom: data.custom || null,
    attachment: data.attachment || null,
    timestamp: Math.round((payload.timestamp || Date.now() / 1000) * 1000),
  }
}

/** What the customer just typed: its time is this browser's clock, so it is marked `local`. */
export const userMessage = (text) => ({
  id: localId(), sender: 'user', text, replies: [], custom: null, attachment: null, timestamp: Date.now(), local: true,
})

/** Inserts in timestamp order (a resent push is older than what is shown), but never before a
 * message sent from this page, whose time comes from another clock than the server's. */
export function insertByTime(messages, message) {
  let at = messages.length
  while (at > 0 && !messages[at - 1].local && messages[at - 1].timestamp > message.timestamp) at -= 1
  messages.splice(at, 0, message)
}

const sameText = (a, b) => a.sender === b.sender && a.text === b.text

/** The conversation as the server has it, plus what it does not have yet: a live message whose id
 * it lacks, or a message without an id (what the customer sent from this page) that no history
 * item repeats; each history item stands for one such message at most. */
export function mergeHistory(shown, items) {
  const history = []
  const ids = new Set()
  for (const item of items) {
    const message = toMessage(item.sender, item)
    if (hasServerId(message) && ids.has(message.id)) continue
    if (hasServerId(message)) ids.add(message.id)
    history.push(message)
  }
  const unmatched = [...history]
  const missing = shown.filter((m) => {
    if (hasServerId(m)) return !ids.has(m.id)
    const at = unmatched.findIndex((h) => sameText(h, m))
    if (at < 0) return true
    unmatched.splice(at, 1)
    return false
  })
  return [...history, ...missing].sort((a, b) => a.timestamp - b.timestamp)
}
