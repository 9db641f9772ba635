import { describeHookOverHttp } from '../helpers/hook-over-http';

describeHookOverHttp(['twilio-v3', 'twilio-v4']);
