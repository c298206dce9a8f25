import { CodedError } from '@platform/core';

/** Personal data for a subject whose key was shredded cannot be written any more. */
export class SubjectShreddedError extends CodedError {
  constructor(readonly subjectId: string) {
    super('PERSONAL_DATA.SUBJECT_ERASED', `personal data of ${subjectId} was erased; it cannot be written again`, {
      subjectId,
    });
  }
}

/** An encrypted value failed authentication: altered, moved to another event/field, or wrong key. */
export class PersonalDataTamperedError extends CodedError {
  constructor(
    readonly eventId: string,
    readonly path: string,
  ) {
    super('PERSONAL_DATA.TAMPERED', `encrypted field ${path} of event ${eventId} failed authentication`, {
      eventId,
      path,
    });
  }
}

/** An encrypted value names a key the key store never had (keys lost or wrong database). */
export class DataKeyMissingError extends CodedError {
  constructor(
    readonly subjectId: string,
    readonly eventId: string,
  ) {
    super('PERSONAL_DATA.KEY_MISSING', `no data key for subject ${subjectId} (event ${eventId})`, {
      subjectId,
      eventId,
    });
  }
}
