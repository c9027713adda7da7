// The widget's public face: mount it on a page, and report the page's activity through it.
import { Provider } from 'react-redux'
import { createConnection } from './connection'
import { ConnectionContext } from './context'
import { createWidgetStore } from './store'
import Widget from './Widget'

/** Creates the store and the socket for one page: {store, connection}. */
export function startAssistant({ socketUrl, socketPath = '/socket.io', token = null, storage = window.localStorage }) {
  const store = createWidgetStore(storage)
  const connection = createConnection(store, { url: socketUrl, path: socketPath, token, storage })
  return { store, connection }
}

export function AssistantWidget({ assistant }) {
  return (
    <Provider store={assistant.store}>
      <ConnectionContext.Provider value={assistant.connection}>
        <Widget />
      </ConnectionContext.Provider>
    </Provider>
  )
}
