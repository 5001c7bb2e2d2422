package istanbul.hes.campaign;

import java.time.LocalTime;

/**
 * Istanbul wall-clock hours in which no notice is sent: {@code from} inclusive to {@code to}
 * exclusive, across midnight when {@code to} is earlier ({@code 21:00}–{@code 09:00}).
 */
record QuietHours(LocalTime from, LocalTime to) {
  QuietHours {
    if (from.equals(to)) {
      throw new IllegalArgumentException("quiet hours from and to must differ");
    }
  }

  boolean contains(LocalTime time) {
    return from.isBefore(to) ? !time.isBefore(from) && time.isBefore(to) : !time.isBefore(from) || time.isBefore(to);
  }
}
