import { describe, expect, it } from 'vitest'
import reducer, {
  botUttered, connectionChanged, errorReceived, historyLoaded, initialState, panelClosed, panelOpened,
  proactiveToggled, replyTimedOut, selectActiveRepliesId, userSent,
} from './chatSlice'

const run = (...actions) => actions.reduce(reducer, initialState)
const bot = (text, extra = {}) => botUttered({ id: `b-${text}`, text, timestamp: 1700000000 + text.length, ...extra })

describe('chat reducer', () => {
  it('marks the conversation as awaiting a reply until the assistant answers', () => {
    let state = run(userSent({ text: 'hi' }))
    expect(state.awaitingReply).toBe(true)
    expect(state.messages).toMatchObject([{ sender: 'user', text: 'hi' }])
    state = reducer(state, bot('Hello!'))
    expect(state.awaitingReply).toBe(false)
    expect(state.messages.map((m) => m.sender)).toEqual(['user', 'bot'])
  })

  it('shows a quick reply by its title, not its payload', () => {
    const state = run(userSent({ text: '/affirm', display: 'Yes, show me' }))
    expect(state.messages[0].text).toBe('Yes, show me')
  })

  it('counts unread messages while closed and clears them on open', () => {
    let state = run(userSent({ text: 'hi' }), bot('one'), bot('two'))
    expect(state.unread).toBe(2)
    state = reducer(state, panelOpened())
    expect(state.unread).toBe(0)
    expect(reducer(state, bot('three')).unread).toBe(0)
  })

  it('turns an unsolicited message into a toast only while the panel is closed', () => {
    const closed = run(bot('Shall I look at nearby airports?'))
    expect(closed.toast).toMatchObject({ id: 'b-Shall I look at nearby airports?', text: 'Shall I look at nearby airports?' })
    expect(closed.open).toBe(false) // never opens itself
    const answered = run(userSent({ text: 'hi' }), bot('Hello!'))
    expect(answered.toast).toBeNull()
    const open = run(panelOpened(), bot('Any news'))
    expect(open.toast).toBeNull()
  })

  it('keeps showing how an unsolicited reply began while the rest of it arrives; later news replaces it', () => {
    const offer = botUttered({ id: 'o', text: 'That part of the page does not respond.', timestamp: 1700000000 })
    const article = botUttered({ id: 'a', text: 'This help article may help too: …', timestamp: 1700000000.4 })
    const later = botUttered({ id: 'n', text: 'Your ticket 1001 was answered.', timestamp: 1700000600 })
    expect(run(offer, article).toast.id).toBe('o')
    expect(run(offer, article).unread).toBe(2)
    expect(run(offer, article, later).toast.id).toBe('n')
  })

  it('drops the toast when proactive offers are switched off, and when the panel opens', () => {
    expect(run(bot('offer'), proactiveToggled(false)).toast).toBeNull()
    expect(run(bot('offer'), panelOpened()).toast).toBeNull()
  })

  it('ignores a message delivered twice (two tabs, a reconnect)', () => {
    expect(run(bot('once'), bot('once')).messages).toHaveLength(1)
  })

  it('restores history, keeping what arrived live since and dropping what it repeats', () => {
    const live = run(bot('Welcome back'), botUttered({ id: 'new', text: 'Brand new', timestamp: 1800000000 }))
    const state = reducer(live, historyLoaded([
      { sender: 'user', text: 'hi', timestamp: 1700000000 },
      { sender: 'bot', id: 'b-Welcome back', text: 'Welcome back', data: { buttons: [{ title: 'Book', payload: '/book' }] }, timestamp: 1700000001 },
    ]))
    expect(state.messages.map((m) => m.text)).toEqual(['hi', 'Welcome back', 'Brand new'])
    expect(state.messages[1].replies).toEqual([{ title: 'Book', payload: '/book' }])
  })

  it('keeps the replies of the latest unanswered message on offer', () => {
    const withReplies = bot('Which flight?', { buttons: [{ title: '1', payload: '/select_offer' }] })
    let state = run(withReplies)
    expect(selectActiveRepliesId({ chat: state })).toBe('b-Which flight?')
    state = reducer(state, bot('card'))
    expect(selectActiveRepliesId({ chat: state })).toBe('b-Which flight?')
    state = reducer(state, userSent({ text: 'the first' }))
    expect(selectActiveRepliesId({ chat: state })).toBeNull()
  })

  it('records connection changes and errors, and stops waiting on a refusal', () => {
    let state = run(connectionChanged('reconnecting'))
    expect(state.connection).toBe('reconnecting')
    state = reducer(reducer(state, userSent({ text: 'x' })), errorReceived({ code: 'rate_limited', reason: 'too many messages' }))
    expect(state.error).toEqual({ code: 'rate_limited', reason: 'too many messages' })
    expect(state.awaitingReply).toBe(false)
    expect(reducer(state, connectionChanged('online')).error).toBeNull()
  })

  it('stops the typing indicator when no reply comes', () => {
    expect(run(userSent({ text: 'hi' }), replyTimedOut()).awaitingReply).toBe(false)
    expect(run(panelOpened(), panelClosed()).open).toBe(false)
  })
})
