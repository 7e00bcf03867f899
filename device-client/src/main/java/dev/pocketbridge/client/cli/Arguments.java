package dev.pocketbridge.client.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: the command, its {@code --name value} (or {@code --name=value}) options,
 * its {@code --flag}s and its operands (the other words; everything after {@code --} is an operand,
 * for a device name that starts with dashes).
 */
record Arguments(String command, Map<String, String> options, Set<String> flags, List<String> operands) {

    static final Set<String> OPTIONS = Set.of("server", "state", "name", "type", "code", "stream", "text");
    static final Set<String> FLAGS = Set.of("yes");

    Arguments {
        options = Map.copyOf(options);
        flags = Set.copyOf(flags);
        operands = List.copyOf(operands);
    }

    static Arguments parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        Set<String> flags = new HashSet<>();
        List<String> operands = new ArrayList<>();
        boolean onlyOperands = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (onlyOperands || !arg.startsWith("--")) {
                operands.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                onlyOperands = true;
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new Main.UsageException("--" + name + " takes no value");
                }
                flags.add(name);
                continue;
            }
            if (!OPTIONS.contains(name)) {
                throw new Main.UsageException("unknown option --" + name);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new Main.UsageException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            options.put(name, value);
        }
        return new Arguments(args[0], options, flags, operands);
    }

    String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    String require(String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new Main.UsageException("--" + name + " is required");
        }
        return value;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** The operands, checked to number {@code min} to {@code max}; {@code missing} says what too few lack. */
    List<String> operands(int min, int max, String missing) {
        if (operands.size() > max) {
            throw new Main.UsageException("unexpected argument " + operands.get(max));
        }
        if (operands.size() < min) {
            throw new Main.UsageException(missing);
        }
        return operands;
    }
}
