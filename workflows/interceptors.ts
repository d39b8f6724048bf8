/**
 * Only holders of lekdicht's payload keys can speak to a breach: the worker's codec turns every payload that was
 * not encrypted with them into REFUSED_MARKER (codec/aes-gcm-codec.ts), and this interceptor refuses every message
 * carrying one, in one place for every workflow and message. Registered as a workflow interceptor module
 * (worker/create-worker.ts WORKFLOW_INTERCEPTOR_MODULES; every bundle of workflows/ includes it).
 */
import {
  ApplicationFailure,
  type ActivityInput,
  type LocalActivityInput,
  type Next,
  type SignalInput,
  type SignalWorkflowInput,
  type StartChildWorkflowExecutionInput,
  type UpdateInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { isRefusedMarker, REFUSED_MESSAGE } from '../domain/refused';
import { track } from './in-flight';
import { countRefusedSignal } from './refusals';

/*
 * Not async, on purpose: each method hands back the very promise of the next one. An async wrapper would add
 * microtask turns before an update completes, which changes the order of commands against recorded histories
 * (nondeterminism on replay).
 */
const carriesRefused = (args: readonly unknown[]) => args.some(isRefusedMarker);

class RefusePlaintext implements WorkflowInboundCallsInterceptor {
  /** Rejected in validation: the update is never accepted, so it leaves no event in the history. */
  validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>): void {
    if (carriesRefused(input.args)) throw new Error(REFUSED_MESSAGE);
    next(input);
  }

  /**
   * Every lekdicht update has a validator, but a refusal here too keeps a future one without from being a way in
   * (an ApplicationFailure: any other error would fail the workflow task, retried forever).
   */
  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    if (carriesRefused(input.args))
      return Promise.reject(ApplicationFailure.nonRetryable(REFUSED_MESSAGE, 'RefusedUnencrypted'));
    return next(input);
  }

  /** A playbook started by hand with plaintext input fails at once, instead of its task failing forever. */
  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    if (carriesRefused(input.args))
      return Promise.reject(ApplicationFailure.nonRetryable(REFUSED_MESSAGE, 'RefusedUnencrypted'));
    return next(input);
  }

  /** A signal is in the history once sent; it is dropped and counted (current details), never handled. */
  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    if (carriesRefused(input.args)) {
      countRefusedSignal();
      return Promise.resolve();
    }
    return next(input);
  }
}

/** Counts what the run waits for from outside (in-flight.ts), so it continues as new only with nothing under way. */
class CountInFlight implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(
    input: ActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>,
  ): Promise<unknown> {
    return track(next(input));
  }

  scheduleLocalActivity(
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
  ): Promise<unknown> {
    return track(next(input));
  }

  startChildWorkflowExecution(
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>,
  ): Promise<[Promise<string>, Promise<unknown>]> {
    // Only the start: a child's result may take months, and the run moves on while its children run (ABANDON).
    const started = next(input);
    void track(started.then(([childStarted]) => childStarted));
    return started;
  }

  signalWorkflow(
    input: SignalWorkflowInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'signalWorkflow'>,
  ): Promise<void> {
    return track(next(input));
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new RefusePlaintext()],
  outbound: [new CountInFlight()],
});
