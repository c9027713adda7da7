import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { toMessage } from './chatSlice'
import Message from './Message'

afterEach(cleanup)

const OFFERS = [
  { id: 'off_1', airline: 'Delta Air Lines', price: '245.00', currency: 'USD', slices: [{ from: 'BOS', to: 'JFK', depart: '2026-12-15T08:05:00', arrive: '2026-12-15T09:20:00', stops: 0, minutes: 75, flights: 'DL123' }] },
  { id: 'off_2', airline: 'JetBlue', price: '189.50', currency: 'USD', slices: [{ from: 'BOS', to: 'LGA', depart: '2026-12-15T21:40:00', arrive: '2026-12-16T00:55:00', stops: 1, minutes: 195, flights: 'B6 10 / B6 22' }] },
]

const renderMessage = (payload, props = {}) => {
  const onSend = vi.fn()
  render(<ul><Message message={toMessage('bot', payload)} showReplies onSend={onSend} canSend {...props} /></ul>)
  return onSend
}

describe('Message', () => {
  it('renders flight offers as cards whose Select sends that choice', () => {
    const onSend = renderMessage({ id: 'm', text: 'Which flight would you like to book?', custom: { type: 'flight_offers', offers: OFFERS },
      buttons: [{ title: '1. Delta', payload: '/select_offer{"choice": "1"}' }] })
    const cards = screen.getAllByTestId('flight-offer')
    expect(cards).toHaveLength(2)
    expect(within(cards[0]).getByText('$245.00')).toBeTruthy()
    expect(within(cards[0]).getByText('Nonstop', { selector: '.MuiChip-label' })).toBeTruthy()
    expect(within(cards[1]).getByText(/1 stop · 3h 15m/)).toBeTruthy()
    expect(within(cards[1]).getByText(/00:55 \(\+1\) LGA/)).toBeTruthy()
    expect(screen.queryAllByTestId('quick-reply')).toHaveLength(0) // the cards carry the choices
    fireEvent.click(within(cards[1]).getByRole('button', { name: /Select option 2: JetBlue/ }))
    expect(onSend).toHaveBeenCalledWith('/select_offer{"choice": "2"}', 'Option 2: JetBlue at 21:40')
    fireEvent.click(within(cards[0]).getByRole('button', { name: /Select option 1/ }))
    expect(onSend).toHaveBeenLastCalledWith('/select_offer{"choice": "1"}', '1. Delta') // the button's title, as history has it
  })

  it('disables the offers of an older search', () => {
    renderMessage({ id: 'm', text: '', custom: { type: 'flight_offers', offers: OFFERS } }, { showReplies: false })
    expect(screen.getAllByRole('button', { name: /Select option/ }).every((b) => b.disabled)).toBe(true)
  })

  it('sends a quick reply payload and shows its title', () => {
    const onSend = renderMessage({ id: 'm', text: 'I found 12 flights. Would you like to see more details?',
      buttons: [{ title: 'Yes, show me', payload: '/affirm' }, { title: 'No thanks', payload: '/deny' }] })
    expect(screen.getByRole('group', { name: 'Suggested replies' })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Yes, show me' }))
    expect(onSend).toHaveBeenCalledWith('/affirm', 'Yes, show me')
  })

  it('hides quick replies that were answered', () => {
    renderMessage({ id: 'm', text: 'Shall I?', buttons: [{ title: 'Yes', payload: '/affirm' }] }, { showReplies: false })
    expect(screen.queryByRole('button', { name: 'Yes' })).toBeNull()
  })

  it('shows the booking reference of a confirmation', () => {
    renderMessage({ id: 'm', text: 'Booked!', custom: { type: 'booking_confirmation', booking_reference: 'QX7RTA', order_id: 'ord_1', offer: OFFERS[0] } })
    expect(screen.getByTestId('booking-reference').textContent).toBe('QX7RTA')
    expect(screen.getByText(/BOS → JFK/)).toBeTruthy()
  })

  it('shows a ticket status card', () => {
    renderMessage({ id: 'm', text: 'News', custom: { type: 'ticket_status', ticket: { id: 1042, subject: 'Refund for AB12CD', status: 'pending', updated: 'today' } } })
    const card = screen.getByTestId('ticket-status')
    expect(within(card).getByText('Ticket 1042')).toBeTruthy()
    expect(within(card).getByText('pending')).toBeTruthy()
  })

  it('labels who spoke, for screen readers, and the time', () => {
    render(<ul><Message message={toMessage('user', { text: 'hello', timestamp: 1700000000 })} showReplies={false} onSend={() => {}} canSend /></ul>)
    expect(screen.getByText('You:')).toBeTruthy()
    expect(screen.getByText('hello')).toBeTruthy()
    expect(document.querySelector('time').getAttribute('datetime')).toBe('2023-11-14T22:13:20.000Z')
  })

  it('ignores a card it does not know', () => {
    renderMessage({ id: 'm', text: 'x', custom: { type: 'something_else' } })
    expect(screen.getByText('x')).toBeTruthy()
  })
})
