// A booking made at checkout is reported as activity, so the preferences learn from it like from
// a booking made in the chat.
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, expect, it, vi } from 'vitest'
import Checkout from './Checkout'

vi.mock('./api', () => ({
  api: vi.fn(async (path) => {
    if (path === '/api/orders') return { booking_reference: 'QRS456' }
    throw new Error(`unexpected ${path}`)
  }),
}))

const offer = {
  id: 'off_1', price: '120.00', currency: 'USD', airline: 'JetBlue',
  slices: [{ from: 'BOS', to: 'MIA', depart: '2026-08-02T09:30:00' }],
}

afterEach(cleanup)

it('reports the booking with its first flight once the order is made', async () => {
  const user = userEvent.setup()
  const reported = []
  render(<Checkout offer={offer} customer={{ email: 'maya@example.com' }} report={(e) => reported.push(e)} onDone={() => {}} onBack={() => {}} />)
  await user.type(screen.getByLabelText('First name'), 'Maya')
  await user.type(screen.getByLabelText('Last name'), 'Chen')
  fireEvent.change(screen.getByLabelText('Date of birth'), { target: { value: '1990-03-14' } })
  await user.click(screen.getByRole('button', { name: /Book and pay/ }))
  expect((await screen.findByTestId('checkout-reference')).textContent).toBe('QRS456')
  expect(reported).toContainEqual({ type: 'booking', page: '/checkout', booking_reference: 'QRS456', origin: 'BOS', destination: 'MIA', date: '2026-08-02' })
})
