// Exactly once: a pushed message may arrive live, from the outbox after a reconnect, and in
// history, in any order and more than once; the widget shows each id once, in timestamp order.
import { describe, expect, it } from 'vitest'
import reducer, { botUttered, historyLoaded, initialState, userSent } from './chatSlice'

const run = (...actions) => actions.reduce(reducer, initialState)
const T = 1700000000
const push = { id: 'p1', text: 'Your flight BA117 now leaves at 10:40', timestamp: T + 50 }
const texts = (state) => state.messages.map((m) => m.text)
const historyItem = (message, extra = {}) => ({ sender: 'bot', ...message, data: {}, ...extra })

// What history holds: the customer's earlier turn, the greeting, and the push.
const HISTORY = [
  { sender: 'user', text: 'hi', timestamp: T },
  historyItem({ id: 'g1', text: 'Hi! What can I do for you?', timestamp: T + 1 }),
  historyItem(push),
]

describe('delivery by id', () => {
  it('shows a push that arrives live, then in history, then live again once', () => {
    const state = run(botUttered(push), historyLoaded(HISTORY), botUttered(push))
    expect(texts(state)).toEqual(['hi', 'Hi! What can I do for you?', push.text])
    expect(state.messages.filter((m) => m.id === 'p1')).toHaveLength(1)
    expect(state.unread).toBe(1) // counted once, too
  })

  it('shows history and the flushed outbox once each, in timestamp order, whichever comes first', () => {
    const outbox = [
      { id: 'o1', text: 'Gate changed to B12', timestamp: T + 20 }, // only in the outbox
      push, // in the outbox and in history
      { id: 'o3', text: 'Boarding now', timestamp: T + 60 },
    ]
    const expected = ['hi', 'Hi! What can I do for you?', 'Gate changed to B12', push.text, 'Boarding now']
    const historyFirst = run(historyLoaded(HISTORY), ...outbox.map((m) => botUttered(m)))
    const outboxFirst = run(...outbox.map((m) => botUttered(m)), historyLoaded(HISTORY))
    const outboxReversed = run(...[...outbox].reverse().map((m) => botUttered(m)), historyLoaded(HISTORY), botUttered(outbox[0]))
    for (const state of [historyFirst, outboxFirst, outboxReversed]) expect(texts(state)).toEqual(expected)
  })

  it('keeps two messages with the same text but different ids, and drops by id even when the text differs', () => {
    const again = { id: 'a2', text: 'Is there anything else I can help with?', timestamp: T + 70 }
    const live = run(botUttered({ ...again, id: 'a1', timestamp: T + 30 }), botUttered(again), botUttered({ id: 'g1', text: 'edited', timestamp: T + 1 }))
    const state = reducer(live, historyLoaded([historyItem({ ...again, id: 'a1', timestamp: T + 30 }), historyItem({ id: 'g1', text: 'Hi!', timestamp: T + 1 })]))
    expect(texts(state)).toEqual(['Hi!', again.text, again.text])
  })

  it('matches what the customer sent by text, once per history item', () => {
    const sent = run(userSent({ text: 'yes' }), userSent({ text: 'yes' }))
    const state = reducer(sent, historyLoaded([{ sender: 'user', text: 'yes', timestamp: T }]))
    expect(texts(state)).toEqual(['yes', 'yes']) // the second one is not in history yet
  })

  it('never puts a live reply before what the customer sent from this page, whatever the clocks say', () => {
    const state = run(historyLoaded(HISTORY), userSent({ text: 'thanks' }), botUttered({ id: 'r1', text: "You're welcome!", timestamp: 1 }))
    expect(texts(state).slice(-2)).toEqual(['thanks', "You're welcome!"])
  })
})
