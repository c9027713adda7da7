// The widget's side of the channel protocol, against a fake socket: the rich session request and
// the acknowledgements of stored messages.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { panelClosed, panelOpened, toastDismissed } from './chatSlice'
import { createConnection } from './connection'
import { createWidgetStore } from './store'

const sockets = []
vi.mock('socket.io-client', () => ({
  io: () => {
    const handlers = {}
    const socket = {
      handlers, emitted: [], connected: true, active: true,
      on: (event, handler) => { handlers[event] = handler },
      emit: (event, data) => socket.emitted.push([event, data]),
      receive: (event, data) => handlers[event](data),
      sent: (event) => socket.emitted.filter(([name]) => name === event).map(([, data]) => data),
      disconnect: () => {},
    }
    sockets.push(socket)
    return socket
  },
}))

const memory = () => {
  const items = {}
  return { getItem: (k) => items[k] ?? null, setItem: (k, v) => { items[k] = v }, removeItem: (k) => { delete items[k] } }
}

let store, socket
beforeEach(() => {
  vi.useFakeTimers()
  store = createWidgetStore(memory())
  createConnection(store, { url: 'http://assistant', storage: memory() })
  socket = sockets.at(-1)
  socket.receive('connect')
  socket.receive('session_confirm', { session_id: 'a-1', anonymous: true, session_token: 't' })
})
afterEach(() => vi.useRealTimers())

describe('connection', () => {
  it('asks for the rich protocol, then history', () => {
    expect(socket.sent('session_request')).toEqual([{ rich: true }])
    expect(socket.sent('history_request')).toEqual([{ limit: 100 }])
  })

  it('acknowledges what arrived together in one `received`, resends included, history and plain replies not', () => {
    socket.receive('bot_uttered', { id: 'p1', text: 'Gate changed', timestamp: 1700000000, ack: true })
    socket.receive('bot_uttered', { id: 'p2', text: 'Boarding', timestamp: 1700000001, ack: true })
    socket.receive('bot_uttered', { id: 'r1', text: 'A reply', timestamp: 1700000001.5 })
    socket.receive('history', { messages: [{ sender: 'bot', id: 'h1', text: 'Hi', data: {}, timestamp: 1690000000 }] })
    expect(socket.sent('received')).toEqual([]) // not before the batch closes
    vi.advanceTimersByTime(100)
    expect(socket.sent('received')).toEqual([{ ids: ['p1', 'p2'] }])

    socket.receive('bot_uttered', { id: 'p1', text: 'Gate changed', timestamp: 1700000000, ack: true }) // resent: not acknowledged in time
    socket.receive('bot_uttered', { text: 'no id, nothing to acknowledge' })
    vi.advanceTimersByTime(100)
    expect(socket.sent('received')).toEqual([{ ids: ['p1', 'p2'] }, { ids: ['p1'] }])
    expect(store.getState().chat.messages.map((m) => m.id).filter((id) => !id.startsWith('local-'))).toEqual(['h1', 'p1', 'p2', 'r1'])
  })

  it('acknowledges a long outbox in batches the channel accepts', () => {
    for (let i = 0; i < 150; i += 1) socket.receive('bot_uttered', { id: `m${i}`, text: `news ${i}`, timestamp: 1700000000 + i, ack: true })
    vi.advanceTimersByTime(100)
    expect(socket.sent('received').map(({ ids }) => ids.length)).toEqual([100, 50])
  })

  it('reports each opening of the panel, so the channel can greet; closing and re-rendering do not', () => {
    store.dispatch(panelOpened())
    store.dispatch(toastDismissed())
    store.dispatch(panelClosed())
    store.dispatch(panelOpened())
    expect(socket.sent('activity')).toEqual([{ type: 'chat_opened', page: '/' }, { type: 'chat_opened', page: '/' }])
  })

  it('an opening before the connection is ready is reported once it is', () => {
    const early = createWidgetStore(memory())
    createConnection(early, { url: 'http://assistant', storage: memory() })
    const later = sockets.at(-1)
    later.connected = false
    early.dispatch(panelOpened())
    expect(later.sent('activity')).toEqual([])
    later.connected = true
    later.receive('connect')
    later.receive('session_confirm', { session_id: 'a-3', anonymous: true })
    expect(later.sent('activity')).toEqual([{ type: 'chat_opened', page: '/' }])
  })

  it('copes with a server that answers with a plain session id', () => {
    socket.receive('session_confirm', 'a-2')
    expect(store.getState().chat.sessionId).toBe('a-2')
  })
})
