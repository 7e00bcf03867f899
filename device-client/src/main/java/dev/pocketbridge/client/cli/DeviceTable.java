package dev.pocketbridge.client.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import dev.pocketbridge.client.PocketBridgeApi;

/**
 * The device list as a table for people: name, type, id, when it was last seen ({@code online},
 * {@code 5 min ago}, {@code never}), when it was registered (in the clock's zone) and a marker on
 * the device that asked.
 */
final class DeviceTable {

    static final String THIS_DEVICE = "(this device)";
    private static final List<String> HEADER = List.of("NAME", "TYPE", "ID", "LAST SEEN", "CREATED", "");
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    private DeviceTable() {
    }

    /** The table, one line per device under a header line, each line ending with a newline. */
    static String render(List<PocketBridgeApi.DeviceInfo> devices, Clock clock) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (PocketBridgeApi.DeviceInfo d : devices) {
            rows.add(List.of(text(d.deviceName()), text(d.deviceType()), text(d.deviceId()), lastSeen(d, clock),
                    CREATED.format(Instant.ofEpochMilli(d.createdAt()).atZone(clock.getZone())),
                    d.isCurrent() ? THIS_DEVICE : ""));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], width(row.get(c)));
            }
        }
        StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                line.append(row.get(c)).append(" ".repeat(widths[c] - width(row.get(c)) + 2));
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    /**
     * {@code online}, {@code never}, {@code just now}, {@code 5 min ago}, {@code 3 h ago},
     * {@code 2 days ago}, else the day.
     */
    static String lastSeen(PocketBridgeApi.DeviceInfo device, Clock clock) {
        if (device.isOnline()) {
            return "online";
        }
        if (device.lastSeen() == null) {
            return "never";
        }
        Instant seen = Instant.ofEpochMilli(device.lastSeen());
        Duration ago = Duration.between(seen, clock.instant());
        if (ago.toMinutes() < 1) {
            return "just now"; // also a time slightly ahead of this machine's clock
        }
        if (ago.toHours() < 1) {
            return ago.toMinutes() + " min ago";
        }
        if (ago.toDays() < 1) {
            return ago.toHours() + " h ago";
        }
        if (ago.toDays() < 7) {
            return ago.toDays() + (ago.toDays() == 1 ? " day ago" : " days ago");
        }
        return DAY.format(seen.atZone(clock.getZone()));
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
