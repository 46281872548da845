// Which same-origin paths the in-tab API answers comes from the core's one route table, so the
// tab answers exactly the paths the sidecar does (with and without /v1, /healthz, /readyz, the
// gallery routes). Other paths (assets, bundled model files) are left to the network.
export { apiPathPatterns, isApiPath } from '../../shared/http/api-routes.js';
