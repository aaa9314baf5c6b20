/** One year's holidays: dates `YYYY-MM-DD`, or ranges `YYYY-MM-DD..YYYY-MM-DD`, in the calendar's zone. */
export interface HolidayYear {
  off: readonly string[];
  workdays: readonly string[];
}

/**
 * China's statutory holidays (全国年节及纪念日放假) as the State Council publishes them each
 * year: the days off (a holiday and the weekend days joined to it) and the make-up workdays
 * (调休) that move a weekend day into the working week. Dates in Asia/Shanghai.
 *
 * A year is added when its notice is published (usually in November of the year before); until
 * then a desk adds it to its own config (`calendars.<name>.holidays.<year>`), and a clock that
 * runs into a year without data counts ordinary weekdays and marks its deadline provisional.
 */
export const CN_STATUTORY_HOLIDAYS: Readonly<Record<string, HolidayYear>> = {
  '2025': {
    off: [
      '2025-01-01', // 元旦
      '2025-01-28..2025-02-04', // 春节
      '2025-04-04..2025-04-06', // 清明节
      '2025-05-01..2025-05-05', // 劳动节
      '2025-05-31..2025-06-02', // 端午节
      '2025-10-01..2025-10-08', // 国庆节、中秋节
    ],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  '2026': {
    off: [
      '2026-01-01..2026-01-03', // 元旦
      '2026-02-15..2026-02-23', // 春节
      '2026-04-04..2026-04-06', // 清明节
      '2026-05-01..2026-05-05', // 劳动节
      '2026-06-19..2026-06-21', // 端午节
      '2026-09-25..2026-09-27', // 中秋节
      '2026-10-01..2026-10-07', // 国庆节
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};
