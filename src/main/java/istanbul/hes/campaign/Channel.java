package istanbul.hes.campaign;

/** How a notice reaches a person: an SMS to a verified phone, or a push to the app. */
enum Channel { SMS, PUSH }
