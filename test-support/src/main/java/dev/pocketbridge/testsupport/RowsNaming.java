package dev.pocketbridge.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds rows that still name someone: every table of a database's {@code public} schema (Flyway's
 * history aside) is searched for the given ids in any column, through each row's text form. The
 * check behind "every row about a deleted user is gone".
 */
public final class RowsNaming {

    private RowsNaming() {
    }

    /** The tables searched: every base table of the {@code public} schema but Flyway's history. */
    public static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'
                ORDER BY table_name""");
                ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    /** Table → rows naming any of {@code ids}, for the tables that have such rows (empty when none does). */
    public static Map<String, Long> in(Connection connection, String... ids) throws SQLException {
        Map<String, Long> found = new LinkedHashMap<>();
        for (String table : tables(connection)) {
            long rows = 0;
            for (String id : ids) {
                // The table name comes from the catalogue, never from input; quoted as an identifier.
                try (PreparedStatement count = connection.prepareStatement(
                        "SELECT count(*) FROM \"" + table.replace("\"", "\"\"") + "\" t WHERE position(? in t::text) > 0")) {
                    count.setString(1, id);
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        rows += rs.getLong(1);
                    }
                }
            }
            if (rows > 0) {
                found.put(table, rows);
            }
        }
        return found;
    }
}
