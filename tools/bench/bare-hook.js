/**
 * The floor of the overhead figure: a hook that only calls client.messages.create on a client
 * it keeps between calls, as ours does. Run through the same compiler and runtime as ours, the
 * difference between the two is the hook's own work: checks, retry and deadline, logging.
 */
let client;
module.exports = function (recipient, text, context, cb) {
  const secrets = context.webtask.secrets;
  client = client || require('twilio')(secrets.TWILIO_ACCOUNT_SID, secrets.TWILIO_AUTH_TOKEN, { keepAlive: true });
  client.messages
    .create({ to: recipient, from: secrets.TWILIO_PHONE_NUMBER, body: text })
    .then((message) => cb(null, { sid: message.sid }), (error) => cb(error));
};
