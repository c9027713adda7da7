// The socket to the assistant's channel: connects with the customer's token (or an anonymous
// session token kept in localStorage), restores history, reconnects, and feeds the store. It asks
// for the rich protocol (message ids, timestamps, cards) and acknowledges each message it stored,
// so the channel stops resending it; stock clients (rasa-webchat) get Rasa's plain shapes instead.
// Opening the panel is reported (`chat_opened`): the channel greets a customer who has not said
// anything this session yet, and nobody twice.
import { io } from 'socket.io-client'
import {
  botUttered, connectionChanged, errorReceived, historyLoaded, replyTimedOut, sessionConfirmed, userSent,
} from './chatSlice'

const ANONYMOUS_KEY = 'travel-assistant:session-token'
const REPLY_TIMEOUT_MS = 30000
const ACK_DELAY_MS = 50 // messages arriving together (an outbox flush) are acknowledged in one `received`
const ACK_BATCH = 100 // the most ids the channel takes in one

export function createConnection(store, { url, path = '/socket.io', token = null, storage = window.localStorage }) {
  const { dispatch } = store
  const auth = (cb) => {
    const anonymous = storage.getItem(ANONYMOUS_KEY)
    cb(token ? { token } : anonymous ? { session_token: anonymous } : {})
  }
  const socket = io(url, {
    path, auth, transports: ['websocket'], reconnection: true, reconnectionDelay: 500, reconnectionDelayMax: 5000,
  })
  const pending = [] // activity reported before the socket was ready
  let replyTimer = null
  let received = [] // ids stored but not acknowledged yet
  let ackTimer = null
  const acknowledge = () => {
    ackTimer = null
    for (let i = 0; i < received.length; i += ACK_BATCH) socket.emit('received', { ids: received.slice(i, i + ACK_BATCH) })
    received = []
  }

  socket.on('connect', () => {
    dispatch(connectionChanged('online'))
    socket.emit('session_request', { rich: true })
  })
  socket.on('session_confirm', (confirm) => {
    const data = typeof confirm === 'string' ? { session_id: confirm, anonymous: !token } : confirm || {} // a server that ignored `rich`
    dispatch(sessionConfirmed(data))
    if (!token && data.session_token) storage.setItem(ANONYMOUS_KEY, data.session_token)
    socket.emit('history_request', { limit: 100 })
    const { proactiveEnabled } = store.getState().chat
    if (!proactiveEnabled) socket.emit('activity', { type: 'proactive', enabled: false })
    while (pending.length) socket.emit('activity', pending.shift())
  })
  socket.on('history', (data) => dispatch(historyLoaded(data.messages || [])))
  socket.on('bot_uttered', (message) => {
    clearTimeout(replyTimer)
    dispatch(botUttered(message))
    // The channel keeps what it marks `ack` until a tab says it has it (a resend is acknowledged
    // again, or the outbox would keep it); a plain reply needs no acknowledgement.
    if (message && message.ack && typeof message.id === 'string' && !received.includes(message.id)) {
      received.push(message.id)
      ackTimer = ackTimer || setTimeout(acknowledge, ACK_DELAY_MS)
    }
  })
  socket.on('error', (error) => dispatch(errorReceived(error)))
  socket.on('connect_error', (error) => {
    if (!socket.active) {
      // Refused by the server: an expired anonymous session starts afresh; a bad sign-in stays refused.
      if (!token && storage.getItem(ANONYMOUS_KEY)) {
        storage.removeItem(ANONYMOUS_KEY)
        socket.connect()
        return
      }
      dispatch(connectionChanged('offline'))
      dispatch(errorReceived({ code: 'refused', reason: error.message }))
      return
    }
    dispatch(connectionChanged('reconnecting'))
  })
  socket.on('disconnect', (reason) => {
    dispatch(connectionChanged(socket.active ? 'reconnecting' : 'offline'))
    if (reason === 'io server disconnect') dispatch(errorReceived({ code: 'disconnected', reason: 'the assistant closed the connection' }))
  })

  const activity = (event) => {
    if (socket.connected) socket.emit('activity', event)
    else pending.push(event)
  }
  let open = store.getState().chat.open
  store.subscribe(() => {
    const now = store.getState().chat.open
    if (now && !open) activity({ type: 'chat_opened', page: window.location.pathname })
    open = now
  })

  return {
    /** Sends what the customer typed, or a quick reply's payload shown as its title. */
    send(text, display) {
      if (!socket.connected) return false
      dispatch(userSent({ text, display }))
      socket.emit('user_uttered', { message: text })
      clearTimeout(replyTimer)
      replyTimer = setTimeout(() => dispatch(replyTimedOut()), REPLY_TIMEOUT_MS)
      return true
    },
    /** Page activity for the proactive engine; kept until the socket is ready. */
    activity,
    close() {
      clearTimeout(replyTimer)
      clearTimeout(ackTimer)
      acknowledge()
      socket.disconnect()
    },
  }
}
