// Package filters holds logdict's built-in filters: the [core.Filter]s a
// configuration's `filters` section builds, each with the factory the root
// package's class table maps to it.
//
// # Classes
//
//   - [Name] is Python's logging.Filter(name): a dotted logger-name prefix.
//   - [Fields] attaches constant attributes to every record, as a Python
//     filter that does `record.env = settings.ENV` does.
//   - [LevelRange] passes records whose level lies in [min_level, max_level].
//   - [Match] passes records whose attribute equals a value or matches a
//     regular expression.
//   - [RequireDebugFalse] and [RequireDebugTrue] are Django's filters of the
//     same names; the DEBUG they read is the process-wide [Debug] setting.
//   - [Callback] is Django's CallbackFilter: a Go function registered by name
//     with [RegisterCallback].
//   - [Redact] masks secrets (AWS keys, passwords, bearer tokens, patterns
//     of one's own) in the message and field values, as a Python filter
//     that rewrites record.msg does.
//
// # Concurrency
//
// Every filter is immutable once built and safe for concurrent use. A filter
// is called with a record that belongs to one dispatch; it may attach
// attributes with [core.Record.Set] and must not keep the record.
//
// # Configuration errors
//
// Factories read their keys through [core.Params], so every bad value is
// reported with its key path (`filters.only_app.name: bad value: ...`), all
// problems at once, and nothing is built when there is one.
package filters
