import { describe, expect, it } from 'vitest';
import { composeLetter, letterStart } from '../../domain/letter-draft';
import { renderDataSubjectLetter } from '../../domain/letters';
import { answerSchemas } from '../../domain/tasks';

const frame = {
  organisation: 'Gemeente Voorbeeld',
  breachId: 'breach-0123456789abcdef0123',
  contactPoint: 'KCC, 14 020',
};
const categories = ['ordinary', 'national-id'];

describe('the art. 34 letter, written for the people affected', () => {
  it('starts from generic measures and advice chosen by the kinds of data, leaving what happened to be written', () => {
    const start = letterStart(categories, 'nl');
    expect(start.nature).toBeUndefined();
    expect(start.consequences).toBeUndefined();
    expect(start.advice?.join(' ')).toContain('Centraal Meldpunt Identiteitsfraude');
    expect(letterStart(['credentials'], 'en').advice?.join(' ')).toContain('Change your password');
  });

  it('puts in what communications wrote and the KCC contact point, and nothing else of the case', () => {
    const written = {
      nature: 'Een brief ging naar een verkeerd adres.',
      consequences: 'Iemand anders kon uw naam lezen.',
      measures: 'Wij hebben de brief teruggehaald.',
      advice: ['Let op post die u niet verwacht.'],
    };
    const letter = composeLetter(frame, written, 'nl', categories);
    expect(letter).toEqual({ ...frame, ...written });
    const { text } = renderDataSubjectLetter(letter, 'en', 'Bas Kok');
    // Own words stay as written, also in the English frame.
    expect(text).toContain('Let op post die u niet verwacht.');
    expect(text).toContain('KCC, 14 020');
  });

  it('gives an English reader the English starting texts when they were kept as they were', () => {
    const start = letterStart(categories, 'nl');
    const letter = composeLetter(
      frame,
      { nature: 'Er ging iets mis.', consequences: 'Weinig.', measures: start.measures!, advice: start.advice! },
      'nl',
      categories,
    );
    const en = renderDataSubjectLetter(letter, 'en').text;
    expect(en).toContain('identity fraud (CMI)');
    expect(en).toContain('We have stopped the leak');
    expect(en).not.toContain('Wij hebben het lek gedicht');
    expect(renderDataSubjectLetter(letter, 'nl').text).toContain('Wij hebben het lek gedicht');
  });

  it('refuses a letter without what art. 34(2) asks, and a send-back without remarks, naming the field', () => {
    const missing = answerSchemas.letter.safeParse({ nature: ' ', consequences: 'x', measures: 'x', advice: [] });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['advice', 'nature']);
    const long = answerSchemas.letter.safeParse({
      nature: 'x'.repeat(2_001),
      consequences: 'x',
      measures: 'x',
      advice: ['x'],
    });
    expect(long.error?.issues[0]).toMatchObject({ path: ['nature'], message: 'is longer than 2000 characters' });
    const back = answerSchemas['letter-approval'].safeParse({ approved: false });
    expect(back.error?.issues[0]).toMatchObject({ path: ['remarks'] });
    expect(answerSchemas['letter-approval'].safeParse({ approved: true }).success).toBe(true);
  });
});
