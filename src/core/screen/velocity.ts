import { refuse, type PreSendCheck } from './check';
import { admit } from './velocity-counts';

/**
 * A cap on the new numbers of one block of 1,000 that get an enrollment code within an hour:
 * pumping campaigns enroll numbers in sequence, real users do not. Verification codes go to
 * numbers already enrolled, and a number asking again is never counted twice.
 */
export const enrollmentVelocity: PreSendCheck = {
  layer: 'velocity',
  screen({ config, message, velocity }) {
    const limit = config.shield.enrollmentsPerBlock;
    if (limit === undefined || message.purpose !== 'enrollment' || message.oneTimeCode === undefined) return;
    const { admitted, counted } = admit(velocity, message.to, limit);
    if (admitted) return;
    refuse(
      enrollmentVelocity,
      message.to,
      `is new to a block of 1,000 where ${counted} got enrollment codes this hour, ENROLLMENT_VELOCITY's cap (sequential enrollments mark SMS pumping)`,
      `Raise ENROLLMENT_VELOCITY if your users truly enroll numbers of one range.`,
    );
  },
};
