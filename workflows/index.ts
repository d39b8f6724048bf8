export { breachWorkflow } from './breach';
export { containmentWorkflow } from './containment';
export { notificationWorkflow } from './notification';
export { aftercareWorkflow } from './aftercare';
export { evaluationWorkflow } from './evaluation';
export { dataSubjectsWorkflow } from './data-subjects';
