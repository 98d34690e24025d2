// Starts GraphiQL against this server's /graphql. Served by the server itself, like the assets
// it uses, so the page needs no network beyond this origin. Tokens are not kept in storage.
(function () {
  var fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", window.location.href).toString() });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    defaultHeaders: '{"Authorization": "Bearer PASTE-A-TOKEN"}',
    defaultQuery: "{\n  rules { code article }\n}\n",
  }));
})();
