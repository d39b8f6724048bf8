import { dictionary } from '@zxcvbn-ts/language-common';
import { InvalidInputError } from '../../domain/errors';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1_024;

/**
 * The 49,000 most common passwords of the public breach corpora, as zxcvbn-ts ships them (its "passwords-common"
 * dictionary, ordered by frequency). A password guessers try first is no secret, however long.
 */
const COMMON = new Set(dictionary['passwords-common']);

/** The letters and digits that matter: case, spaces and punctuation do not make "Password 1234!" another password. */
const fold = (password: string) => password.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');

/**
 * Common passwords with something stuck on: "welkom2026!", "iloveyou1234", "1234dragon". The core (what remains
 * without leading and trailing digits and symbols) of at least four characters must not be a common password.
 */
function isCommon(password: string): boolean {
  const folded = fold(password);
  if (COMMON.has(folded) || COMMON.has(password.toLowerCase())) return true;
  const core = folded.replace(/^\d+|\d+$/g, '');
  return core.length >= 4 && COMMON.has(core);
}

/** "aaaaaaaaaaaa", "abababababab", "abcabcabcabc", "abcdefghijkl", "987654321098": no guesser needs long for these. */
function isTrivial(password: string): boolean {
  const chars = [...password.toLowerCase()];
  if (new Set(chars).size < 5) return true;
  if (/^(.{1,6}?)\1+$/su.test(password.toLowerCase())) return true;
  // A run of consecutive characters, up or down (abcdef…, 123456…), with digits wrapping round (…8901…).
  const codes = chars.map((c) => c.codePointAt(0) ?? 0);
  const steps = codes.slice(1).map((code, i) => code - codes[i]!);
  const sequential = (step: number) => steps.every((s) => s === step || (/\d/.test(password) && s === -9 * step));
  return sequential(1) || sequential(-1);
}

/**
 * The rules for a new password, in the order a person can act on them. The message names the field and says
 * what to do, in Dutch and English (the CLI and a future form show it as is).
 */
export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new InvalidInputError(
      `password: is shorter than ${MIN_PASSWORD_LENGTH} characters (wachtwoord: korter dan ${MIN_PASSWORD_LENGTH} tekens)`,
    );
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new InvalidInputError(
      `password: is longer than ${MAX_PASSWORD_LENGTH} characters (wachtwoord: langer dan ${MAX_PASSWORD_LENGTH} tekens)`,
    );
  }
  if (isTrivial(password)) {
    throw new InvalidInputError(
      'password: repeats or counts characters (like "aaaa…" or "abcd…"); choose a few unrelated words (wachtwoord: herhaalt of telt tekens; kies een paar losse woorden)',
    );
  }
  if (isCommon(password)) {
    throw new InvalidInputError(
      'password: is a common or breached password that guessers try first; choose another (wachtwoord: staat in lijsten van veelgebruikte of uitgelekte wachtwoorden; kies een ander)',
    );
  }
}
