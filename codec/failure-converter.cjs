// Loaded by path (DataConverter.failureConverterPath): Node requires it in the worker and client, and the
// workflow bundler bundles it into the workflow sandbox, so it must be plain CommonJS, not TypeScript.
// encodeCommonAttributes moves error messages and stack traces into a payload, which the codec encrypts:
// a validation message or an activity error can quote personal data.
'use strict';
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
