import { configureStore } from '@reduxjs/toolkit'
import chat, { initialState } from './chatSlice'

const PROACTIVE_KEY = 'travel-assistant:proactive'

/** The widget's store; the proactive switch is remembered across visits. */
export function createWidgetStore(storage = window.localStorage) {
  const store = configureStore({
    reducer: { chat },
    preloadedState: { chat: { ...initialState, proactiveEnabled: storage.getItem(PROACTIVE_KEY) !== 'off' } },
  })
  let enabled = store.getState().chat.proactiveEnabled
  store.subscribe(() => {
    const now = store.getState().chat.proactiveEnabled
    if (now !== enabled) storage.setItem(PROACTIVE_KEY, now ? 'on' : 'off')
    enabled = now
  })
  return store
}
