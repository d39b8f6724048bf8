/** The web pages: pure render functions (data in, HTML string out) and the task-form parser, for the HTTP layer to mount. */
export {
  renderLayout,
  href,
  csrfField,
  segment,
  type PageContext,
  type PageUser,
  type LayoutOptions,
  type NavItem,
} from './layout';
export {
  renderDashboard,
  dashboardRows,
  parseDashboardFilter,
  type DashboardRow,
  type DashboardOptions,
} from './dashboard';
export { displayTaskTitle } from './task-title';
export { triageContext, triageDefaults, withAwarenessDefault } from './triage';
export { renderBreach, type BreachPageExtras } from './breach';
export { renderErrorPage, type PageErrorKind } from './error-page';
export { renderMyTasks } from './my-tasks';
export { renderTaskForm, renderTaskFields, type TaskFormState } from './task-form';
export {
  parseTaskForm,
  errorsByField,
  type FormBody,
  type ParsedTaskForm,
  type TaskFormErrors,
} from './task-form-parse';
export { renderAnswer } from './answer-view';
export { formModel, type FieldNode } from './form-model';
export { renderRegister, registerCsvHref, parseRegisterPage, REGISTER_PAGE_SIZE } from './register';
export { escapeHtml, html, SafeHtml } from './html';
export { TEXTS } from './i18n';
export { STYLESHEET, SCRIPT, CSP_HASHES } from './assets';
export { urgencyOf, type Urgency } from './components';
