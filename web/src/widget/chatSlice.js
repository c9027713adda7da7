// The widget's state: the connection, the conversation, the panel and proactive offers.
import { createSlice } from '@reduxjs/toolkit'
import { insertByTime, mergeHistory, toMessage, userMessage } from './messages'

export const MAX_MESSAGE_LENGTH = 2000 // the channel refuses longer messages
// Messages this close to the one on the note are the rest of the same reply (an offer of help
// and the article that goes with it): the note keeps showing how the reply began.
const SAME_REPLY_MS = 5000

export const initialState = {
  connection: 'connecting', // connecting | online | reconnecting | offline
  sessionId: null,
  anonymous: true,
  messages: [],
  awaitingReply: false,
  open: false,
  unread: 0,
  toast: null, // an unsolicited message shown while the panel is closed: {id, text, timestamp}
  proactiveEnabled: true,
  error: null, // {code, reason} from the channel
}

/** A message as the widget keeps it; see messages.js for how deliveries merge. */
export { toMessage } from './messages'

const chat = createSlice({
  name: 'chat',
  initialState,
  reducers: {
    connectionChanged(state, { payload }) {
      state.connection = payload
      if (payload === 'online') state.error = null
    },
    sessionConfirmed(state, { payload }) {
      state.sessionId = payload.session_id
      state.anonymous = Boolean(payload.anonymous)
    },
    /** The conversation as the server has it, plus what it does not have yet (a message that
     * arrived live, a quick reply sent as a payload); each message once, by id. */
    historyLoaded(state, { payload }) {
      state.messages = mergeHistory(state.messages, payload)
    },
    userSent: {
      reducer(state, { payload }) {
        state.messages.push(payload)
        state.awaitingReply = true
        state.error = null
      },
      prepare({ text, display }) {
        return { payload: userMessage(display || text) }
      },
    },
    /** A message from the assistant, live or resent from the outbox: dropped if already shown. */
    botUttered(state, { payload }) {
      const message = toMessage('bot', payload)
      if (state.messages.some((m) => m.id === message.id)) return
      const unsolicited = !state.awaitingReply
      insertByTime(state.messages, message)
      state.awaitingReply = false
      if (!state.open) {
        state.unread += 1
        const sameReply = state.toast && Math.abs(message.timestamp - state.toast.timestamp) <= SAME_REPLY_MS
        if (unsolicited && message.text && !sameReply) state.toast = { id: message.id, text: message.text, timestamp: message.timestamp }
      }
    },
    replyTimedOut(state) {
      state.awaitingReply = false
    },
    panelOpened(state) {
      state.open = true
      state.unread = 0
      state.toast = null
    },
    panelClosed(state) {
      state.open = false
    },
    toastDismissed(state) {
      state.toast = null
    },
    proactiveToggled(state, { payload }) {
      state.proactiveEnabled = payload
      if (!payload) state.toast = null
    },
    errorReceived(state, { payload }) {
      state.error = { code: payload.code || 'error', reason: payload.reason || String(payload) }
      if (payload.code === 'rate_limited' || payload.code === 'malformed_message') state.awaitingReply = false
    },
  },
})

export const {
  connectionChanged, sessionConfirmed, historyLoaded, userSent, botUttered, replyTimedOut,
  panelOpened, panelClosed, toastDismissed, proactiveToggled, errorReceived,
} = chat.actions
export default chat.reducer

/** The message whose quick replies are still on offer: the latest one with replies that the
 * customer has not answered yet (a reply may be followed by a card, as flight offers are). */
export const selectActiveRepliesId = (state) => {
  const { messages } = state.chat
  for (let i = messages.length - 1; i >= 0 && messages[i].sender === 'bot'; i -= 1) {
    if (messages[i].replies.length) return messages[i].id
  }
  return null
}
