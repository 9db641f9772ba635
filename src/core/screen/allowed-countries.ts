import { refuse, type PreSendCheck } from './check';

/** ALLOWED_COUNTRIES: a recipient of a country it does not list is refused. */
export const allowedCountries: PreSendCheck = {
  layer: 'countries',
  screen({ config, message }) {
    const refusal = config.allowedCountries?.refusal(message.to);
    if (refusal !== undefined) refuse(allowedCountries, message.to, refusal.why, refusal.fix);
  },
};
