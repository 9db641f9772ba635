/**
 * The benchmark's baseline: the simplest correct Send Phone Message hook, the pattern of Auth0's
 * documented sample. It builds a new Twilio client for every call, so every send opens a new
 * connection (and TLS handshake) to Twilio. Correct: one callback, also when twilio throws.
 */
module.exports = function (recipient, text, context, cb) {
  try {
    const secrets = context.webtask.secrets;
    const client = require('twilio')(secrets.TWILIO_ACCOUNT_SID, secrets.TWILIO_AUTH_TOKEN);
    client.messages
      .create({ to: recipient, from: secrets.TWILIO_PHONE_NUMBER, body: text })
      .then((message) => cb(null, { sid: message.sid }), (error) => cb(error));
  } catch (error) {
    cb(error);
  }
};
