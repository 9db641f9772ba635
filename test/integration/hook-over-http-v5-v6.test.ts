import { describeHookOverHttp } from '../helpers/hook-over-http';

describeHookOverHttp(['twilio', 'twilio-v6']);
