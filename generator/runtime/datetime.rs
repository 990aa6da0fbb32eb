//! Date-time values in the forms the Dixa API actually sends.
//!
//! The Dixa OpenAPI description marks many fields `format: date-time`, which
//! promises RFC 3339. The server runs on the JVM, though, and several fields
//! are rendered with Java's `toString()` instead, so a client meets all of
//! these on the wire:
//!
//! | Form | Example |
//! | --- | --- |
//! | RFC 3339 | `2021-12-01T12:46:36.581Z`, `2021-12-01T12:46:36+02:00` |
//! | Java `ZonedDateTime` | `2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]` |
//! | Java `LocalDateTime`, read as UTC | `2021-12-01T12:46:35.935` |
//! | Java with zero seconds left out | `2021-12-01T12:46Z`, `2021-12-01T12:46` |
//!
//! [`DateTime`] accepts all of them, keeps the instant, and remembers which
//! form the value arrived in, so that sending it back in a body produces text
//! of the same shape that the server produced itself. In a URL (query and path
//! parameters) the SDK writes the instant alone, in UTC with `Z`
//! ([`DateTime::to_utc_string`]), in the precision the spec documents for the
//! parameter: the zone suffix is a detail of bodies only.

use std::cmp::Ordering;
use std::error::Error;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{
    Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike, Utc,
};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// Describes the accepted forms; shared by deserialization errors and the
/// visitor's `expecting` text so that both tell the same story.
const EXPECTED_FORMS: &str = "an RFC 3339 date-time such as `2021-12-01T12:46:36.581Z` or \
     `2021-12-01T12:46:36+02:00`, a Java ZonedDateTime such as \
     `2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]`, or a Java LocalDateTime such as \
     `2021-12-01T12:46:35.935` (read as UTC)";

const NANOS_PER_SECOND: u32 = 1_000_000_000;

/// How many characters of a rejected input an error message repeats; the
/// input comes from the network and may be arbitrarily long.
const MAX_ECHOED_CHARS: usize = 64;

/// Which offset notation the text used, so that it can be written back the
/// same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OffsetStyle {
    /// No offset at all (Java `LocalDateTime`); the value is read as UTC.
    Absent,
    /// The `Z` designator.
    Zulu,
    /// A numeric offset such as `+01:00`.
    Numeric,
    /// RFC 3339's `-00:00`, meaning "UTC, local offset unknown". It is kept
    /// apart from `+00:00` so that the distinction survives a round trip.
    NegativeZero,
}

/// A point in time, parsed from any of the date-time forms the Dixa API uses.
///
/// Besides RFC 3339 this accepts Java's `ZonedDateTime.toString()` form with a
/// bracketed zone such as `[Europe/Copenhagen]`, Java's
/// `LocalDateTime.toString()` form without any offset (read as UTC), and
/// Java's habit of leaving out the seconds when they are zero. A lowercase `t`
/// or `z`, or a space instead of `T`, is accepted as RFC 3339 permits.
///
/// The value remembers the offset and zone annotation it was written with, so
/// [`Display`](fmt::Display) and serialization write it back in the same form.
/// The output is normalized in a few harmless ways: seconds are always
/// written, fractional seconds use the shortest of 0, 3, 6 or 9 digits that is
/// exact, and the separators are written as uppercase `T` and `Z`.
///
/// Equality, ordering and hashing compare the instant only, so the same moment
/// written in different forms compares equal.
///
/// # Examples
///
/// ```
/// use dixa::DateTime;
///
/// let zoned: DateTime = "2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]".parse()?;
/// let local: DateTime = "2021-12-01T12:46:36.581".parse()?;
/// assert_eq!(zoned, local);
/// assert_eq!(zoned.zone(), Some("Europe/Copenhagen"));
/// assert_eq!(
///     zoned.to_string(),
///     "2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]"
/// );
///
/// let short: DateTime = "2021-12-01T12:46Z".parse()?;
/// assert_eq!(short.to_string(), "2021-12-01T12:46:00Z");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct DateTime {
    instant: chrono::DateTime<Utc>,
    /// The offset the text was written in; UTC when the text had none.
    offset: FixedOffset,
    style: OffsetStyle,
    zone: Option<Box<str>>,
}

impl DateTime {
    /// Parses any of the accepted date-time forms.
    ///
    /// This is the same as [`str::parse`] through the [`FromStr`]
    /// implementation.
    ///
    /// # Errors
    ///
    /// Returns a [`ParseDateTimeError`] naming the input when the text is not
    /// one of the accepted forms or names a date or time that does not exist,
    /// such as month 13 or hour 25.
    pub fn parse(s: &str) -> Result<Self, ParseDateTimeError> {
        parse_text(s).map_err(|reason| ParseDateTimeError {
            input: s.to_owned(),
            reason,
        })
    }

    /// Returns the instant this value denotes, in UTC.
    #[must_use]
    pub fn instant(&self) -> chrono::DateTime<Utc> {
        self.instant
    }

    /// Returns the offset from UTC that the value was written with.
    ///
    /// A value written without any offset (Java's `LocalDateTime` form) is
    /// read as UTC, so its offset is zero; use [`has_offset`](Self::has_offset)
    /// to tell that case apart from an explicit `Z` or `+00:00`.
    #[must_use]
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// Returns the bracketed zone annotation, such as `Europe/Copenhagen` for
    /// `2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]`, without the
    /// brackets.
    ///
    /// The annotation is kept as text only; the instant always comes from the
    /// numeric offset written before it.
    #[must_use]
    pub fn zone(&self) -> Option<&str> {
        self.zone.as_deref()
    }

    /// Returns whether the text carried an offset (`Z` or a numeric one).
    ///
    /// This is `false` only for Java's `LocalDateTime` form, which this type
    /// reads as UTC.
    #[must_use]
    pub fn has_offset(&self) -> bool {
        self.style != OffsetStyle::Absent
    }

    /// Returns the instant as seen at the value's own offset.
    #[must_use]
    pub fn to_fixed_offset(&self) -> chrono::DateTime<FixedOffset> {
        self.instant.with_timezone(&self.offset)
    }

    /// Returns the current time, as the system clock tells it, in UTC.
    ///
    /// It is written as RFC 3339 with `Z` and as many fractional digits as
    /// the clock gives (0, 3, 6 or 9), like any value converted from a
    /// [`SystemTime`].
    ///
    /// # Examples
    ///
    /// ```
    /// use dixa::DateTime;
    ///
    /// let before = DateTime::now();
    /// let after = DateTime::now();
    /// assert!(before <= after);
    /// assert!(after.to_string().ends_with('Z'));
    /// ```
    #[must_use]
    pub fn now() -> Self {
        // Through the platform seam: `SystemTime::now` panics on wasm32-unknown-unknown.
        Self::from(crate::runtime::platform::now())
    }

    /// Writes the instant as RFC 3339 in UTC with `Z`, with the fractional
    /// seconds `precision` asks for: the form the SDK writes a date-time in a
    /// URL (query and path parameters).
    ///
    /// Unlike [`Display`](fmt::Display) and serialization, which write the
    /// value back in the form it was read in (Dixa's `[GMT]` zone suffix, a
    /// numeric offset, no offset at all), this writes only the instant: a
    /// value read as `2021-12-01T14:46:36.581+02:00[Europe/Copenhagen]` is
    /// `2021-12-01T12:46:36.581Z` with [`SecondsFormat::Millis`]. Digits
    /// below the precision are cut off, not rounded, so the text never names
    /// a later instant than the value.
    ///
    /// [`SecondsFormat::Millis`]: chrono::SecondsFormat::Millis
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::SecondsFormat;
    /// use dixa::DateTime;
    ///
    /// let value: DateTime = "2021-12-01T14:46:36.581+02:00[Europe/Copenhagen]".parse()?;
    /// assert_eq!(value.to_utc_string(SecondsFormat::Millis), "2021-12-01T12:46:36.581Z");
    /// assert_eq!(value.to_utc_string(SecondsFormat::Secs), "2021-12-01T12:46:36Z");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_utc_string(&self, precision: chrono::SecondsFormat) -> String {
        self.instant.to_rfc3339_opts(precision, true)
    }

    /// Returns the instant as a [`SystemTime`], or `None` when the platform's
    /// `SystemTime` cannot represent it (some platforms have no times before
    /// 1601 or after 2262; chrono's range is wider).
    #[must_use]
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let seconds = self.instant.timestamp();
        let nanos = self.instant.timestamp_subsec_nanos();
        if seconds >= 0 {
            UNIX_EPOCH
                .checked_add(Duration::from_secs(seconds.unsigned_abs()))?
                .checked_add(Duration::from_nanos(u64::from(nanos)))
        } else {
            // A negative timestamp is whole seconds before the epoch plus
            // `nanos` after that second.
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(seconds.unsigned_abs()))?
                .checked_add(Duration::from_nanos(u64::from(nanos)))
        }
    }
}

impl FromStr for DateTime {
    type Err = ParseDateTimeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Converts a `chrono` date-time; it is written as RFC 3339, with `Z` when
/// the offset is zero and a numeric offset such as `+01:00` otherwise.
impl<Tz: TimeZone> From<chrono::DateTime<Tz>> for DateTime {
    fn from(value: chrono::DateTime<Tz>) -> Self {
        let offset = value.offset().fix();
        let style = if offset.local_minus_utc() == 0 {
            OffsetStyle::Zulu
        } else {
            OffsetStyle::Numeric
        };
        Self {
            instant: value.with_timezone(&Utc),
            offset,
            style,
            zone: None,
        }
    }
}

/// Converts a system time; it is written as RFC 3339 with `Z`, as
/// [`DateTime::now`] is.
///
/// A time outside chrono's range (about 262,000 years either side of year 0,
/// which only a deliberately constructed `SystemTime` reaches) becomes the
/// nearest time chrono can represent rather than panicking.
impl From<SystemTime> for DateTime {
    fn from(value: SystemTime) -> Self {
        let instant = match value.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs())
                .ok()
                .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, after.subsec_nanos()))
                .unwrap_or(chrono::DateTime::<Utc>::MAX_UTC),
            Err(err) => {
                // `before` is how long before the epoch the time is: whole
                // seconds back, then forward by the rest of a second.
                let before = err.duration();
                let (mut seconds, mut nanos) = (before.as_secs(), before.subsec_nanos());
                if nanos > 0 {
                    seconds = seconds.saturating_add(1);
                    nanos = NANOS_PER_SECOND - nanos;
                }
                i64::try_from(seconds)
                    .ok()
                    .and_then(|seconds| chrono::DateTime::from_timestamp(-seconds, nanos))
                    .unwrap_or(chrono::DateTime::<Utc>::MIN_UTC)
            }
        };
        Self::from(instant)
    }
}

/// Takes the instant, dropping the offset and zone annotation.
impl From<DateTime> for chrono::DateTime<Utc> {
    fn from(value: DateTime) -> Self {
        value.instant
    }
}

/// Takes the instant at the value's own offset, dropping the zone annotation.
impl From<DateTime> for chrono::DateTime<FixedOffset> {
    fn from(value: DateTime) -> Self {
        value.to_fixed_offset()
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The `Datelike`/`Timelike` accessors of a chrono `DateTime` cannot
        // panic, unlike `naive_local`, which does at the very ends of the
        // representable range.
        let local = self.to_fixed_offset();
        write_year(f, local.year())?;
        write!(
            f,
            "-{:02}-{:02}T{:02}:{:02}:",
            local.month(),
            local.day(),
            local.hour(),
            local.minute()
        )?;
        // chrono represents a leap second as second 59 with a nanosecond
        // count of one second or more; write it the RFC 3339 way, as `:60`.
        let (second, nanos) = match local.nanosecond().checked_sub(NANOS_PER_SECOND) {
            Some(nanos) => (60, nanos),
            None => (local.second(), local.nanosecond()),
        };
        write!(f, "{second:02}")?;
        write_fraction(f, nanos)?;
        match self.style {
            OffsetStyle::Absent => {}
            OffsetStyle::Zulu => f.write_str("Z")?,
            OffsetStyle::NegativeZero => f.write_str("-00:00")?,
            OffsetStyle::Numeric => write_offset(f, self.offset)?,
        }
        if let Some(zone) = &self.zone {
            write!(f, "[{zone}]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.instant == other.instant
    }
}

impl Eq for DateTime {}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant.cmp(&other.instant)
    }
}

impl Hash for DateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Hash exactly what `eq` compares, so equal values hash alike.
        self.instant.hash(state);
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DateTimeVisitor)
    }
}

/// Turns a string into a [`DateTime`] during deserialization.
struct DateTimeVisitor;

impl Visitor<'_> for DateTimeVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a date-time string: {EXPECTED_FORMS}")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        DateTime::parse(v)
            .map_err(|err| E::custom(format_args!("{err}; expected {EXPECTED_FORMS}")))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        self.visit_str(&v)
    }
}

/// The error returned when text is not a date-time in any accepted form.
///
/// Its message repeats the offending input (shortened when very long) and
/// says what was wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseDateTimeError {
    input: String,
    reason: &'static str,
}

impl ParseDateTimeError {
    /// Returns the text that failed to parse, in full.
    #[must_use]
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Returns a short description of what was wrong with the input.
    #[must_use]
    pub fn reason(&self) -> &str {
        self.reason
    }
}

impl fmt::Display for ParseDateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.input.char_indices().nth(MAX_ECHOED_CHARS) {
            Some((cut, _)) => {
                let head = self.input.get(..cut).unwrap_or_default();
                write!(
                    f,
                    "invalid date-time {head:?}... ({} bytes)",
                    self.input.len()
                )?;
            }
            None => write!(f, "invalid date-time {:?}", self.input)?,
        }
        write!(f, ": {}", self.reason)
    }
}

impl Error for ParseDateTimeError {}

/// Writes a year as ISO 8601 and Java do: four digits within 0000..=9999, and
/// a sign in front otherwise, which the parser accepts back.
fn write_year(f: &mut fmt::Formatter<'_>, year: i32) -> fmt::Result {
    if (0..=9999).contains(&year) {
        write!(f, "{year:04}")
    } else if year > 9999 {
        write!(f, "+{year}")
    } else {
        write!(f, "-{:04}", year.unsigned_abs())
    }
}

/// Writes fractional seconds with the fewest of 0, 3, 6 or 9 digits that is
/// exact, as Java does, so that millisecond values stay three digits long.
fn write_fraction(f: &mut fmt::Formatter<'_>, nanos: u32) -> fmt::Result {
    if nanos == 0 {
        Ok(())
    } else if nanos.is_multiple_of(1_000_000) {
        write!(f, ".{:03}", nanos / 1_000_000)
    } else if nanos.is_multiple_of(1_000) {
        write!(f, ".{:06}", nanos / 1_000)
    } else {
        write!(f, ".{nanos:09}")
    }
}

/// Writes a numeric offset as `+HH:MM`, adding `:SS` only when the offset has
/// seconds, as Java's `ZoneOffset` does.
fn write_offset(f: &mut fmt::Formatter<'_>, offset: FixedOffset) -> fmt::Result {
    let total = offset.local_minus_utc();
    let sign = if total < 0 { '-' } else { '+' };
    let magnitude = total.unsigned_abs();
    write!(
        f,
        "{sign}{:02}:{:02}",
        magnitude / 3600,
        magnitude / 60 % 60
    )?;
    if !magnitude.is_multiple_of(60) {
        write!(f, ":{:02}", magnitude % 60)?;
    }
    Ok(())
}

/// A position in the input. Parsing works on bytes because every accepted
/// form is ASCII; any other byte simply fails to match.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a [u8] {
        self.text.as_bytes().get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<u8> {
        self.rest().first().copied()
    }

    fn at_end(&self) -> bool {
        self.rest().is_empty()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn require(&mut self, byte: u8, reason: &'static str) -> Result<(), &'static str> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(reason)
        }
    }

    fn digit_run(&self) -> usize {
        self.rest()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    }

    /// Reads exactly `len` ASCII digits (at most nine, so the value fits).
    fn number(&mut self, len: usize, reason: &'static str) -> Result<u32, &'static str> {
        let digits = self.rest().get(..len).ok_or(reason)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(reason);
        }
        self.pos += len;
        Ok(digits
            .iter()
            .fold(0, |value, digit| value * 10 + u32::from(digit - b'0')))
    }
}

/// Parses the whole input, returning a reason for the error message on
/// failure; [`DateTime::parse`] attaches the input.
fn parse_text(text: &str) -> Result<DateTime, &'static str> {
    if text.is_empty() {
        return Err("the input is empty");
    }
    let mut cursor = Cursor { text, pos: 0 };
    let date = parse_date(&mut cursor)?;
    match cursor.peek() {
        Some(b'T' | b't' | b' ') => cursor.pos += 1,
        _ => return Err("expected `T` between the date and the time"),
    }
    let time = parse_time(&mut cursor)?;
    let (style, offset) = parse_offset(&mut cursor)?;
    let zone = parse_zone(&mut cursor)?;
    if !cursor.at_end() {
        return Err("unexpected characters after the date-time");
    }
    if zone.is_some() && style == OffsetStyle::Absent {
        // Resolving a zone name needs a time-zone database, which this crate
        // does not carry; Java writes the offset before the zone anyway.
        return Err("a `[zone]` annotation needs an offset such as `Z` or `+01:00` before it");
    }
    let instant = offset
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()
        .ok_or("the date-time is out of range")?
        .with_timezone(&Utc);
    Ok(DateTime {
        instant,
        offset,
        style,
        zone,
    })
}

/// Parses `YYYY-MM-DD`, also accepting the signed years (`+10000`, `-0001`)
/// that Java writes outside 0000..=9999.
fn parse_date(cursor: &mut Cursor<'_>) -> Result<NaiveDate, &'static str> {
    const BAD_YEAR: &str = "expected a four-digit year";
    let year = match cursor.peek() {
        Some(sign @ (b'+' | b'-')) => {
            cursor.pos += 1;
            let len = cursor.digit_run();
            if !(4..=9).contains(&len) {
                return Err("expected four to nine digits after the year's sign");
            }
            let magnitude = i32::try_from(cursor.number(len, BAD_YEAR)?)
                .map_err(|_| "the year is out of range")?;
            if sign == b'-' {
                -magnitude
            } else {
                magnitude
            }
        }
        _ => i32::try_from(cursor.number(4, BAD_YEAR)?).map_err(|_| BAD_YEAR)?,
    };
    cursor.require(b'-', "expected `-` after the year")?;
    let month = cursor.number(2, "expected a two-digit month")?;
    cursor.require(b'-', "expected `-` after the month")?;
    let day = cursor.number(2, "expected a two-digit day")?;
    if !(1..=12).contains(&month) {
        return Err("the month is out of range");
    }
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or("the day does not exist in that month, or the year is out of range")
}

/// Parses `HH:MM[:SS[.fraction]]`; Java leaves out `:SS` when it is zero.
fn parse_time(cursor: &mut Cursor<'_>) -> Result<NaiveTime, &'static str> {
    let hour = cursor.number(2, "expected a two-digit hour")?;
    cursor.require(b':', "expected `:` after the hour")?;
    let minute = cursor.number(2, "expected two-digit minutes")?;
    let mut second = 0;
    let mut nanos = 0;
    if cursor.eat(b':') {
        second = cursor.number(2, "expected two-digit seconds")?;
        if cursor.eat(b'.') {
            nanos = parse_fraction(cursor)?;
        }
    }
    if hour > 23 {
        return Err("the hour is out of range");
    }
    if minute > 59 {
        return Err("the minutes are out of range");
    }
    if second > 60 {
        return Err("the seconds are out of range");
    }
    if second == 60 {
        // RFC 3339 allows a leap second; chrono spells it as second 59 plus
        // one extra second's worth of nanoseconds.
        second = 59;
        nanos += NANOS_PER_SECOND;
    }
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).ok_or("the time is out of range")
}

/// Parses the digits after the decimal point as nanoseconds. RFC 3339 allows
/// any number of digits; those past the ninth are below chrono's resolution
/// and are dropped.
fn parse_fraction(cursor: &mut Cursor<'_>) -> Result<u32, &'static str> {
    const BAD_FRACTION: &str = "expected digits after the decimal point";
    let len = cursor.digit_run();
    if len == 0 {
        return Err(BAD_FRACTION);
    }
    let kept = len.min(9);
    let mut nanos = cursor.number(kept, BAD_FRACTION)?;
    for _ in kept..9 {
        nanos *= 10;
    }
    cursor.pos += len - kept;
    Ok(nanos)
}

/// Parses an optional `Z` or `±HH:MM[:SS]` offset. A missing offset is read
/// as UTC, because that is what the Dixa server means by its
/// `LocalDateTime` values.
fn parse_offset(cursor: &mut Cursor<'_>) -> Result<(OffsetStyle, FixedOffset), &'static str> {
    const BAD_OFFSET: &str = "expected an offset of the form `+HH:MM`";
    match cursor.peek() {
        Some(b'Z' | b'z') => {
            cursor.pos += 1;
            Ok((OffsetStyle::Zulu, Utc.fix()))
        }
        Some(sign @ (b'+' | b'-')) => {
            cursor.pos += 1;
            let hours = cursor.number(2, BAD_OFFSET)?;
            cursor.require(b':', BAD_OFFSET)?;
            let minutes = cursor.number(2, BAD_OFFSET)?;
            let seconds = if cursor.eat(b':') {
                cursor.number(2, BAD_OFFSET)?
            } else {
                0
            };
            if hours > 23 || minutes > 59 || seconds > 59 {
                return Err("the offset is out of range");
            }
            let magnitude = i32::try_from(hours * 3600 + minutes * 60 + seconds)
                .map_err(|_| "the offset is out of range")?;
            let total = if sign == b'-' { -magnitude } else { magnitude };
            let offset = FixedOffset::east_opt(total).ok_or("the offset is out of range")?;
            let style = if sign == b'-' && magnitude == 0 {
                OffsetStyle::NegativeZero
            } else {
                OffsetStyle::Numeric
            };
            Ok((style, offset))
        }
        _ => Ok((OffsetStyle::Absent, Utc.fix())),
    }
}

/// Parses an optional `[Zone/Name]` annotation as Java's `ZonedDateTime`
/// writes it, keeping the name as text.
fn parse_zone(cursor: &mut Cursor<'_>) -> Result<Option<Box<str>>, &'static str> {
    if !cursor.eat(b'[') {
        return Ok(None);
    }
    let start = cursor.pos;
    let len = cursor
        .rest()
        .iter()
        .position(|&b| b == b']')
        .ok_or("the `[zone]` annotation is missing its closing `]`")?;
    let name = cursor.text.get(start..start + len).unwrap_or_default();
    // Zone IDs are printable ASCII without spaces; checking that also keeps
    // stray brackets and control characters out of the re-emitted text.
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b'[') {
        return Err("the `[zone]` annotation is not a valid zone name");
    }
    cursor.pos = start + len + 1;
    Ok(Some(name.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashSet};

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32) -> chrono::DateTime<Utc> {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|date| date.and_hms_nano_opt(h, mi, s, nanos))
            .expect("valid test date")
            .and_utc()
    }

    fn parse(text: &str) -> DateTime {
        DateTime::parse(text).unwrap_or_else(|err| panic!("{text:?} should parse: {err}"))
    }

    fn offset(seconds: i32) -> FixedOffset {
        FixedOffset::east_opt(seconds).expect("valid test offset")
    }

    #[test]
    fn parses_each_form_to_the_right_instant() {
        let cases = [
            // RFC 3339.
            (
                "2021-12-01T12:46:36.581Z",
                utc(2021, 12, 1, 12, 46, 36, 581_000_000),
            ),
            ("2021-12-01T12:46:36+02:00", utc(2021, 12, 1, 10, 46, 36, 0)),
            ("2021-12-01T12:46:36-05:30", utc(2021, 12, 1, 18, 16, 36, 0)),
            (
                "2021-12-01T12:46:36.123456789Z",
                utc(2021, 12, 1, 12, 46, 36, 123_456_789),
            ),
            (
                "2021-12-01T12:46:36.123456Z",
                utc(2021, 12, 1, 12, 46, 36, 123_456_000),
            ),
            (
                "2021-12-01T12:46:36.5Z",
                utc(2021, 12, 1, 12, 46, 36, 500_000_000),
            ),
            (
                "2021-12-01T12:46:36.1234567891Z",
                utc(2021, 12, 1, 12, 46, 36, 123_456_789),
            ),
            ("2021-12-01T12:46:36+00:00", utc(2021, 12, 1, 12, 46, 36, 0)),
            ("2021-12-01T12:46:36-00:00", utc(2021, 12, 1, 12, 46, 36, 0)),
            // Java ZonedDateTime.
            (
                "2021-12-01T12:46:36.581Z[GMT]",
                utc(2021, 12, 1, 12, 46, 36, 581_000_000),
            ),
            (
                "2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]",
                utc(2021, 12, 1, 12, 46, 36, 581_000_000),
            ),
            ("2021-12-01T12:46:36Z[UTC]", utc(2021, 12, 1, 12, 46, 36, 0)),
            (
                "2021-12-01T13:46:36+01:00:30",
                utc(2021, 12, 1, 12, 46, 6, 0),
            ),
            // Java LocalDateTime, read as UTC.
            (
                "2021-12-01T12:46:35.935",
                utc(2021, 12, 1, 12, 46, 35, 935_000_000),
            ),
            ("2021-12-01T12:46:35", utc(2021, 12, 1, 12, 46, 35, 0)),
            // Java without zero seconds.
            ("2021-12-01T12:46Z", utc(2021, 12, 1, 12, 46, 0, 0)),
            ("2021-12-01T12:46", utc(2021, 12, 1, 12, 46, 0, 0)),
            (
                "2021-12-01T12:46+01:00[Europe/Paris]",
                utc(2021, 12, 1, 11, 46, 0, 0),
            ),
            // RFC 3339 leniencies.
            ("2021-12-01t12:46:36z", utc(2021, 12, 1, 12, 46, 36, 0)),
            ("2021-12-01 12:46:36Z", utc(2021, 12, 1, 12, 46, 36, 0)),
            (
                "2021-12-01 12:46:36.581",
                utc(2021, 12, 1, 12, 46, 36, 581_000_000),
            ),
            // Day boundary crossed by the offset, and a leap day.
            ("2021-01-01T00:30+01:00", utc(2020, 12, 31, 23, 30, 0, 0)),
            (
                "2024-02-29T23:59:59.999999999Z",
                utc(2024, 2, 29, 23, 59, 59, 999_999_999),
            ),
            // Java's signed years outside 0000..=9999.
            ("+10000-01-01T00:00Z", utc(10000, 1, 1, 0, 0, 0, 0)),
            ("-0001-01-01T00:00Z", utc(-1, 1, 1, 0, 0, 0, 0)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text).instant(), expected, "instant of {text:?}");
        }
    }

    #[test]
    fn parses_a_leap_second() {
        let value = parse("2016-12-31T23:59:60.5Z");
        assert_eq!(
            value.instant(),
            utc(2016, 12, 31, 23, 59, 59, 1_500_000_000),
        );
        assert_eq!(value.to_string(), "2016-12-31T23:59:60.500Z");
    }

    #[test]
    fn reports_offset_zone_and_presence_of_offset() {
        let zoned = parse("2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]");
        assert_eq!(zoned.offset(), offset(3600));
        assert_eq!(zoned.zone(), Some("Europe/Copenhagen"));
        assert!(zoned.has_offset());
        assert_eq!(
            zoned.to_fixed_offset().to_rfc3339(),
            "2021-12-01T13:46:36.581+01:00"
        );

        let gmt = parse("2021-12-01T12:46:36.581Z[GMT]");
        assert_eq!(gmt.offset(), offset(0));
        assert_eq!(gmt.zone(), Some("GMT"));
        assert!(gmt.has_offset());

        let negative = parse("2021-12-01T12:46:36-05:30");
        assert_eq!(negative.offset(), offset(-(5 * 3600 + 30 * 60)));
        assert_eq!(negative.zone(), None);
        assert!(negative.has_offset());

        let local = parse("2021-12-01T12:46:35.935");
        assert_eq!(local.offset(), offset(0));
        assert_eq!(local.zone(), None);
        assert!(!local.has_offset());
    }

    #[test]
    fn writes_back_the_form_it_was_parsed_from() {
        let cases = [
            ("2021-12-01T12:46:36.581Z", "2021-12-01T12:46:36.581Z"),
            ("2021-12-01T12:46:36+02:00", "2021-12-01T12:46:36+02:00"),
            ("2021-12-01T12:46:36-05:30", "2021-12-01T12:46:36-05:30"),
            ("2021-12-01T12:46:36+05:45", "2021-12-01T12:46:36+05:45"),
            ("2021-12-01T12:46:36+00:00", "2021-12-01T12:46:36+00:00"),
            ("2021-12-01T12:46:36-00:00", "2021-12-01T12:46:36-00:00"),
            (
                "2021-12-01T12:46:36+01:00:30",
                "2021-12-01T12:46:36+01:00:30",
            ),
            (
                "2021-12-01T12:46:36.123456789Z",
                "2021-12-01T12:46:36.123456789Z",
            ),
            (
                "2021-12-01T12:46:36.581Z[GMT]",
                "2021-12-01T12:46:36.581Z[GMT]",
            ),
            (
                "2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]",
                "2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]",
            ),
            ("2021-12-01T12:46:36Z[UTC]", "2021-12-01T12:46:36Z[UTC]"),
            ("2021-12-01T12:46:35.935", "2021-12-01T12:46:35.935"),
            ("2021-12-01T12:46Z", "2021-12-01T12:46:00Z"),
            ("2021-12-01T12:46", "2021-12-01T12:46:00"),
            (
                "2021-12-01T12:46+01:00[Europe/Paris]",
                "2021-12-01T12:46:00+01:00[Europe/Paris]",
            ),
            ("2021-12-01t12:46:36z", "2021-12-01T12:46:36Z"),
            ("2021-12-01 12:46:36+02:00", "2021-12-01T12:46:36+02:00"),
            // Fractions take the shortest exact length of 0, 3, 6 or 9 digits.
            ("2021-12-01T12:46:36.000Z", "2021-12-01T12:46:36Z"),
            ("2021-12-01T12:46:36.5Z", "2021-12-01T12:46:36.500Z"),
            ("2021-12-01T12:46:36.1234Z", "2021-12-01T12:46:36.123400Z"),
            ("2021-12-01T12:46:36.000001Z", "2021-12-01T12:46:36.000001Z"),
            (
                "2021-12-01T12:46:36.0000001Z",
                "2021-12-01T12:46:36.000000100Z",
            ),
            (
                "2021-12-01T12:46:36.000000001",
                "2021-12-01T12:46:36.000000001",
            ),
            (
                "2021-12-01T12:46:36.1234567891Z",
                "2021-12-01T12:46:36.123456789Z",
            ),
            ("+10000-01-01T00:00Z", "+10000-01-01T00:00:00Z"),
            ("-0001-01-01T00:00Z", "-0001-01-01T00:00:00Z"),
        ];
        for (text, canonical) in cases {
            let value = parse(text);
            assert_eq!(value.to_string(), canonical, "display of {text:?}");
            // The canonical text must itself parse back to the same thing.
            let again = parse(canonical);
            assert_eq!(again.to_string(), canonical, "display of {canonical:?}");
            assert_eq!(again, value);
            assert_eq!(again.offset(), value.offset());
            assert_eq!(again.zone(), value.zone());
        }
    }

    #[test]
    fn debug_shows_the_text_form() {
        let value = parse("2021-12-01T12:46:36.581Z[GMT]");
        assert_eq!(
            format!("{value:?}"),
            "DateTime(2021-12-01T12:46:36.581Z[GMT])"
        );
    }

    #[test]
    fn serde_json_round_trips_every_form() {
        #[derive(Debug, serde::Serialize, serde::Deserialize)]
        struct Event {
            at: DateTime,
            until: Option<DateTime>,
        }

        let json = r#"{"at":"2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]","until":"2021-12-01T12:46:35.935"}"#;
        let event: Event = serde_json::from_str(json).expect("deserializes");
        assert_eq!(event.at.zone(), Some("Europe/Copenhagen"));
        assert_eq!(event.until.as_ref().map(DateTime::has_offset), Some(false));
        assert_eq!(serde_json::to_string(&event).expect("serializes"), json);

        for text in [
            "2021-12-01T12:46:36.581Z",
            "2021-12-01T12:46:36+02:00",
            "2021-12-01T12:46:36.123456789Z",
            "2021-12-01T12:46:36.581Z[GMT]",
            "2021-12-01T12:46:36Z[UTC]",
            "2021-12-01T12:46:35.935",
            "2021-12-01T12:46:00+01:00[Europe/Paris]",
        ] {
            let quoted = format!("\"{text}\"");
            let value: DateTime = serde_json::from_str(&quoted).expect("deserializes");
            assert_eq!(serde_json::to_string(&value).expect("serializes"), quoted);
        }

        // Seconds come back even when the wire value left them out.
        let short: DateTime = serde_json::from_str("\"2021-12-01T12:46Z\"").expect("deserializes");
        assert_eq!(
            serde_json::to_value(&short).expect("serializes"),
            serde_json::json!("2021-12-01T12:46:00Z")
        );
    }

    #[test]
    fn deserializes_from_an_owned_string() {
        // `from_value` hands the visitor an owned `String`.
        let value: DateTime =
            serde_json::from_value(serde_json::json!("2021-12-01T12:46:36.581Z[GMT]"))
                .expect("deserializes");
        assert_eq!(value.instant(), utc(2021, 12, 1, 12, 46, 36, 581_000_000));

        let err = serde_json::from_value::<DateTime>(serde_json::json!("yesterday"))
            .expect_err("garbage is rejected");
        assert!(err.to_string().contains("\"yesterday\""), "{err}");
    }

    #[test]
    fn deserialization_errors_name_the_input_and_the_accepted_forms() {
        let err = serde_json::from_str::<DateTime>("\"yesterday\"").expect_err("rejected");
        let message = err.to_string();
        assert!(message.contains("\"yesterday\""), "{message}");
        assert!(message.contains("RFC 3339"), "{message}");
        assert!(message.contains("ZonedDateTime"), "{message}");
        assert!(message.contains("LocalDateTime"), "{message}");

        let err = serde_json::from_str::<DateTime>("1638362796").expect_err("rejected");
        assert!(err.to_string().contains("a date-time string"), "{err}");
    }

    #[test]
    fn equality_ordering_and_hashing_use_the_instant_only() {
        let gmt = parse("2021-12-01T12:46:36.581Z[GMT]");
        let plus_one = parse("2021-12-01T13:46:36.581+01:00");
        let local = parse("2021-12-01T12:46:36.581");
        let copenhagen = parse("2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]");
        assert_eq!(gmt, plus_one);
        assert_eq!(plus_one, local);
        assert_eq!(local, copenhagen);
        assert_eq!(gmt.cmp(&local), Ordering::Equal);

        let set: HashSet<DateTime> = [&gmt, &plus_one, &local, &copenhagen]
            .into_iter()
            .cloned()
            .collect();
        assert_eq!(set.len(), 1);

        let earlier = parse("2021-12-01T13:46:36.580+01:00");
        let later = parse("2021-12-01T12:46:36.582");
        assert_ne!(earlier, gmt);
        assert!(earlier < gmt && gmt < later);
        assert!(parse("2021-12-01T12:00+01:00") < parse("2021-12-01T11:30Z"));

        let sorted: Vec<String> = [later.clone(), gmt.clone(), earlier.clone()]
            .into_iter()
            .collect::<BTreeSet<_>>()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            sorted,
            [
                "2021-12-01T13:46:36.580+01:00",
                "2021-12-01T12:46:36.581Z[GMT]",
                "2021-12-01T12:46:36.582",
            ]
        );
    }

    #[test]
    fn rejects_garbage_with_an_error_naming_the_input() {
        let cases = [
            "",
            "yesterday",
            "2021-13-01T00:00:00Z",
            "2021-00-01T00:00:00Z",
            "2021-02-30T00:00:00Z",
            "2021-02-29T00:00:00Z",
            "2021-12-00T00:00:00Z",
            "2021-12-01T25:00Z",
            "2021-12-01T24:00Z",
            "2021-12-01T12:60Z",
            "2021-12-01T12:46:61Z",
            "2021-12-01T12:46:36Z[GMT",
            "2021-12-01T12:46:36Z[",
            "2021-12-01T12:46:36Z[]",
            "2021-12-01T12:46:36Z[Europe Paris]",
            "2021-12-01T12:46:36Z[Zürich]",
            "2021-12-01T12:46:36Z[[GMT]",
            "2021-12-01T12:46:36Z[GMT][UTC]",
            "2021-12-01T12:46:36Z[GMT]x",
            "2021-12-01T12:46:36Zjunk",
            "2021-12-01T12:46:36.581 ",
            " 2021-12-01T12:46:36Z",
            "2021-12-01T12:46:36ZZ",
            "2021-12-01T12:46[Europe/Paris]",
            "2021-12-01T12:46:36.Z",
            "2021-12-01T12:46:36,5Z",
            "2021-12-01T12:46.5Z",
            "2021-12-01T12:46:36+2:00",
            "2021-12-01T12:46:36+0200",
            "2021-12-01T12:46:36+02",
            "2021-12-01T12:46:36+24:00",
            "2021-12-01T12:46:36+02:60",
            "2021-12-01",
            "2021-12-01T",
            "2021-12-01T12",
            "2021-12-01T12:",
            "2021-12-01T1:46Z",
            "2021-12-01X12:46Z",
            "2021-12-1T12:46Z",
            "21-12-01T12:46Z",
            "20211201T124636Z",
            "+2021",
            "-",
            "+123-01-01T00:00Z",
            "+9999999999-01-01T00:00Z",
            "２０２１-12-01T12:46Z",
            "2021-12-01T12:46:36Z\0",
        ];
        for text in cases {
            let err = match DateTime::parse(text) {
                Ok(value) => panic!("{text:?} should be rejected, got {value:?}"),
                Err(err) => err,
            };
            assert_eq!(err.input(), text);
            assert!(!err.reason().is_empty());
            let message = err.to_string();
            assert!(message.contains(&format!("{text:?}")), "{message}");
            assert!(text.parse::<DateTime>().is_err());
            assert!(serde_json::from_value::<DateTime>(serde_json::json!(text)).is_err());
        }
    }

    #[test]
    fn error_messages_explain_the_problem_and_shorten_long_input() {
        let err = DateTime::parse("2021-13-01T00:00:00Z").expect_err("rejected");
        assert_eq!(
            err.to_string(),
            "invalid date-time \"2021-13-01T00:00:00Z\": the month is out of range"
        );

        let long = "x".repeat(10_000);
        let err = DateTime::parse(&long).expect_err("rejected");
        assert_eq!(err.input(), long);
        let message = err.to_string();
        assert!(message.len() < 200, "{message}");
        assert!(message.contains("10000 bytes"), "{message}");

        fn assert_std_error<E: Error + Send + Sync + 'static>(_: &E) {}
        assert_std_error(&err);
        let boxed: Box<dyn Error> = Box::new(err);
        assert!(boxed.to_string().starts_with("invalid date-time"));
    }

    #[test]
    fn converts_from_chrono_as_rfc3339() {
        let instant = utc(2021, 12, 1, 12, 46, 36, 581_000_000);
        let value = DateTime::from(instant);
        assert_eq!(value.to_string(), "2021-12-01T12:46:36.581Z");
        assert!(value.has_offset());
        assert_eq!(value.zone(), None);
        assert_eq!(value.instant(), instant);

        let whole = DateTime::from(utc(2021, 12, 1, 12, 46, 0, 0));
        assert_eq!(whole.to_string(), "2021-12-01T12:46:00Z");

        let plus_one = instant.with_timezone(&offset(3600));
        let value = DateTime::from(plus_one);
        assert_eq!(value.to_string(), "2021-12-01T13:46:36.581+01:00");
        assert_eq!(value.offset(), offset(3600));
        assert_eq!(
            chrono::DateTime::<FixedOffset>::from(value.clone()),
            plus_one
        );
        assert_eq!(chrono::DateTime::<Utc>::from(value), instant);

        let zero = DateTime::from(instant.with_timezone(&offset(0)));
        assert_eq!(zero.to_string(), "2021-12-01T12:46:36.581Z");

        assert_eq!(
            serde_json::to_string(&DateTime::from(instant)).expect("serializes"),
            "\"2021-12-01T12:46:36.581Z\""
        );
    }

    #[test]
    fn agrees_with_chrono_rfc3339_in_both_directions() {
        let offsets = [
            0,
            3600,
            -3600,
            5 * 3600 + 45 * 60,
            -(9 * 3600 + 30 * 60),
            14 * 3600,
        ];
        let nanos = [0, 1, 999, 1_000, 581_000_000, 123_456_789, 999_999_999];
        let base = utc(2021, 12, 31, 23, 59, 59, 0);
        for seconds in offsets {
            for nano in nanos {
                let instant = base + chrono::Duration::nanoseconds(i64::from(nano));
                let chrono_value = instant.with_timezone(&offset(seconds));
                for format in [chrono::SecondsFormat::AutoSi, chrono::SecondsFormat::Nanos] {
                    let text = chrono_value.to_rfc3339_opts(format, false);
                    let ours = parse(&text);
                    assert_eq!(ours.instant(), instant, "{text}");
                    assert_eq!(ours.offset(), offset(seconds), "{text}");
                    let back = chrono::DateTime::parse_from_rfc3339(&ours.to_string())
                        .expect("chrono reads our output");
                    assert_eq!(back, chrono_value, "{text}");
                }
            }
        }
    }

    #[test]
    fn writes_the_utc_instant_for_urls_whatever_the_form_it_was_read_in() {
        use chrono::SecondsFormat::{AutoSi, Millis, Secs};
        let cases = [
            (
                "2021-12-01T12:46:36.581Z[GMT]",
                Millis,
                "2021-12-01T12:46:36.581Z",
            ),
            (
                "2021-12-01T14:46:36.581+02:00",
                Millis,
                "2021-12-01T12:46:36.581Z",
            ),
            (
                "2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]",
                Millis,
                "2021-12-01T12:46:36.581Z",
            ),
            (
                "2021-12-01T12:46:35.935",
                Millis,
                "2021-12-01T12:46:35.935Z",
            ),
            ("2021-12-01T12:46-00:00", Millis, "2021-12-01T12:46:00.000Z"),
            // Fewer digits than asked for are padded; more are cut off, never rounded up.
            (
                "2021-12-01T12:46:36Z[UTC]",
                Millis,
                "2021-12-01T12:46:36.000Z",
            ),
            (
                "2021-12-01T12:46:36.999999Z",
                Millis,
                "2021-12-01T12:46:36.999Z",
            ),
            (
                "2021-12-01T12:46:36.999Z[GMT]",
                Secs,
                "2021-12-01T12:46:36Z",
            ),
            ("2021-12-01T00:30:00+01:00", Secs, "2021-11-30T23:30:00Z"),
            (
                "2021-12-01T12:46:36.5+02:00",
                AutoSi,
                "2021-12-01T10:46:36.500Z",
            ),
            (
                "2021-12-01T12:46:36.000001Z",
                AutoSi,
                "2021-12-01T12:46:36.000001Z",
            ),
        ];
        for (text, precision, expected) in cases {
            let value = parse(text);
            assert_eq!(
                value.to_utc_string(precision),
                expected,
                "{text} as {precision:?}"
            );
            // The URL form is one the parser reads back to the same instant, up to the precision.
            assert!(parse(expected) <= value, "{expected} after {text}");
        }
        // Display keeps the form it was read in; the URL form does not touch it.
        let gmt = parse("2021-12-01T12:46:36.581Z[GMT]");
        assert_eq!(gmt.to_utc_string(Millis), "2021-12-01T12:46:36.581Z");
        assert_eq!(gmt.to_string(), "2021-12-01T12:46:36.581Z[GMT]");
    }

    #[test]
    fn now_is_the_system_clock_in_utc() {
        let before = SystemTime::now();
        let now = DateTime::now();
        let after = SystemTime::now();
        assert!(DateTime::from(before) <= now && now <= DateTime::from(after));
        assert!(now.has_offset());
        assert_eq!(now.offset(), offset(0));
        assert_eq!(now.zone(), None);
        assert!(now.to_string().ends_with('Z'), "{now}");
        assert_eq!(parse(&now.to_string()), now);
    }

    #[test]
    fn converts_from_and_to_system_time() {
        let at = |seconds: u64, nanos: u32| UNIX_EPOCH + Duration::new(seconds, nanos);
        let value = DateTime::from(at(1_638_362_796, 581_000_000));
        assert_eq!(value.to_string(), "2021-12-01T12:46:36.581Z");
        assert_eq!(value.to_system_time(), Some(at(1_638_362_796, 581_000_000)));
        assert_eq!(
            DateTime::from(UNIX_EPOCH).to_string(),
            "1970-01-01T00:00:00Z"
        );

        // Before the epoch: 1.25 s before is second -2 plus 0.75 s.
        let before = UNIX_EPOCH - Duration::new(1, 250_000_000);
        let value = DateTime::from(before);
        assert_eq!(value.to_string(), "1969-12-31T23:59:58.750Z");
        assert_eq!(value.instant(), utc(1969, 12, 31, 23, 59, 58, 750_000_000));
        assert_eq!(value.to_system_time(), Some(before));
        let whole = UNIX_EPOCH - Duration::from_secs(86_400);
        assert_eq!(DateTime::from(whole).to_string(), "1969-12-31T00:00:00Z");
        assert_eq!(DateTime::from(whole).to_system_time(), Some(whole));

        // A value read with an offset or zone converts by its instant.
        let zoned = parse("2021-12-01T13:46:36.581+01:00[Europe/Copenhagen]");
        assert_eq!(zoned.to_system_time(), Some(at(1_638_362_796, 581_000_000)));
    }

    #[test]
    fn system_times_beyond_chronos_range_saturate() {
        // Linux's `SystemTime` reaches far past chrono's range; elsewhere these may not exist.
        if let Some(far) = UNIX_EPOCH.checked_add(Duration::from_secs(1 << 62)) {
            assert_eq!(
                DateTime::from(far).instant(),
                chrono::DateTime::<Utc>::MAX_UTC
            );
        }
        if let Some(far) = UNIX_EPOCH.checked_sub(Duration::from_secs(1 << 62)) {
            assert_eq!(
                DateTime::from(far).instant(),
                chrono::DateTime::<Utc>::MIN_UTC
            );
        }
    }

    #[test]
    fn extreme_chrono_values_display_without_panicking() {
        let max = DateTime::from(chrono::DateTime::<Utc>::MAX_UTC.with_timezone(&offset(3600)));
        let min = DateTime::from(chrono::DateTime::<Utc>::MIN_UTC.with_timezone(&offset(-3600)));
        assert!(max.to_string().starts_with('+'));
        assert!(min.to_string().starts_with('-'));
        assert!(min < max);
    }
}
