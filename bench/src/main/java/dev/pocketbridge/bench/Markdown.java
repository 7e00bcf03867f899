package dev.pocketbridge.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's Markdown pieces: tables, cells and how each kind of figure is written. */
final class Markdown {

    private Markdown() {
    }

    @SafeVarargs
    static List<List<String>> rows(Map<String, Object>... maps) {
        List<List<String>> rows = new java.util.ArrayList<>();
        for (Map<String, Object> m : maps) {
            if (m != null) {
                m.forEach((k, v) -> rows.add(List.of(k.replace('_', ' '), v == null ? "?" : String.valueOf(v))));
            }
        }
        return rows;
    }

    static void table(StringBuilder md, List<String> header, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            md.append("---|");
        }
        md.append('\n');
        for (List<String> row : rows) {
            md.append("| ").append(String.join(" | ", row.stream().map(Markdown::cell).toList())).append(" |\n");
        }
        md.append('\n');
    }

    static String cell(String s) {
        return oneLine(s).replace("|", "\\|");
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    static String bold(String s) {
        return "met".equals(s) ? s : "**" + s + "**";
    }

    static String num(double x) {
        return x == Math.rint(x) ? String.format(Locale.ROOT, "%,.0f", x) : String.format(Locale.ROOT, "%,.1f", x);
    }

    static String secs(double s) {
        return num(s) + " s";
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    static String x(Double ratio) {
        return ratio == null ? "?" : String.format(Locale.ROOT, "%.1f", ratio);
    }

    static String mib(Long bytes) {
        return bytes == null ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    static String kib(Double bytes) {
        return bytes == null ? "?" : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
