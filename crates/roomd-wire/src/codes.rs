//! A dialect's error codes as one table: each row a code's name, its number, the HTTP
//! status it answers with, and its message. `code_table!` makes the enum and its
//! lookups from the rows, so a new code is one line, and no list of them is kept by hand.

/// ```ignore
/// code_table! {
///     /// What the enum is.
///     pub enum ErrorCode {
///         /// When it is answered.
///         Success = (10000, 200, ""),
///     }
/// }
/// ```
/// gives `ErrorCode::ALL` (every code, in the table's order), `number`, `http_status` and
/// `text` (the message as the table writes it).
macro_rules! code_table {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$row_meta:meta])* $variant:ident = ($number:literal, $status:literal, $text:expr), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$row_meta])* $variant, )+
        }

        impl $name {
            /// Every code, in the table's order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn number(self) -> u32 {
                match self { $($name::$variant => $number,)+ }
            }

            pub fn http_status(self) -> u16 {
                match self { $($name::$variant => $status,)+ }
            }

            /// The message, as the table writes it.
            pub fn text(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }
    };
}

pub(crate) use code_table;

#[cfg(test)]
mod tests {
    use crate::board::BoardCode;
    use crate::feishu::FeishuCode;
    use crate::h5::ErrorCode;

    /// In every table, numbers are unique and statuses are HTTP statuses.
    #[test]
    fn every_table_has_unique_numbers_and_real_statuses() {
        fn check(rows: Vec<(u32, u16)>) {
            let mut numbers: Vec<u32> = rows.iter().map(|r| r.0).collect();
            numbers.sort_unstable();
            numbers.dedup();
            assert_eq!(numbers.len(), rows.len(), "a number used twice");
            assert!(rows.iter().all(|r| (200..600).contains(&r.1)), "{rows:?}");
        }
        check(ErrorCode::ALL.iter().map(|c| (c.number(), c.http_status())).collect());
        check(FeishuCode::ALL.iter().map(|c| (c.number(), c.http_status())).collect());
        check(BoardCode::ALL.iter().map(|c| (c.number(), c.http_status())).collect());
        assert!(FeishuCode::ALL.iter().all(|c| c.http_status() >= 400));
        assert!(BoardCode::ALL.iter().all(|c| c.http_status() >= 400));
    }

    /// `docs/board-api.md` lists the board's table as it is: every code, its status and
    /// its message, and no other.
    #[test]
    fn docs_board_api_lists_every_board_code() {
        let doc = include_str!("../../../docs/board-api.md");
        let rows: Vec<(u32, u16, &str)> = doc
            .lines()
            .filter_map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                Some((cells.get(1)?.parse().ok()?, cells.get(2)?.parse().ok()?, *cells.get(3)?))
            })
            .filter(|row| (130_000..131_000).contains(&row.0))
            .collect();
        let table: Vec<(u32, u16, &str)> =
            BoardCode::ALL.iter().map(|c| (c.number(), c.http_status(), c.text())).collect();
        assert_eq!(rows, table);
    }
}
