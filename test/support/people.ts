import type { ConfigInput } from '../../domain/config';

/** The test organisation's directory: one person per role, each with a deputy. */
export const FG = 'fg@test.example';
export const FG_DEPUTY = 'fg.plv@test.example';
export const CISO = 'ciso@test.example';
export const PROCESS_OWNER = 'po@test.example';
export const ICT = 'ict@test.example';
export const COMMS = 'comms@test.example';
export const SPONSOR = 'sponsor@test.example';

export const directory: ConfigInput['directory'] = [
  {
    name: 'Fenna FG',
    email: FG,
    roles: ['fg'],
    deputy: FG_DEPUTY,
    function: 'Functionaris gegevensbescherming',
    phone: '+31 70 123 4567',
  },
  { name: 'Daan Deputy', email: FG_DEPUTY, roles: ['fg'], deputy: FG },
  { name: 'Chris CISO', email: CISO, roles: ['ciso'], deputy: FG },
  { name: 'Priya Owner', email: PROCESS_OWNER, roles: ['process-owner'], deputy: CISO },
  { name: 'Ivo ICT', email: ICT, roles: ['ict'], deputy: CISO },
  { name: 'Noor Comms', email: COMMS, roles: ['communications', 'kcc'], deputy: PROCESS_OWNER },
  { name: 'Bram Sponsor', email: SPONSOR, roles: ['executive-sponsor'], deputy: FG },
];
