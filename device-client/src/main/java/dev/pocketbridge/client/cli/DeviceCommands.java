package dev.pocketbridge.client.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.PocketBridgeApi;

/**
 * The commands about the user's devices and account (PROTOCOL.md §2.2): {@code devices},
 * {@code rename}, {@code remove} and {@code delete-account}. A DEVICE on the command line is a
 * device id or the name of one of the user's devices. Removing this device or deleting the
 * account asks for confirmation on standard input (unless {@code --yes}) and afterwards deletes
 * the state file, whose identity can no longer sign in.
 */
final class DeviceCommands {

    private final PocketBridgeApi api;
    private final Path state;
    private final BufferedReader in;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    DeviceCommands(PocketBridgeApi api, Path state, BufferedReader in, PrintStream out, PrintStream err, Clock clock) {
        this.api = api;
        this.state = state;
        this.in = in;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    int devices() throws IOException {
        CliState current = CliState.load(state);
        PocketBridgeApi.DeviceList list = new Device(api, current.identity()).listDevices();
        if (list.devices() == null || list.devices().isEmpty()) {
            out.println(list.message() == null ? "no devices" : list.message());
            return Main.EXIT_OK;
        }
        out.print(DeviceTable.render(list.devices(), clock));
        return Main.EXIT_OK;
    }

    /** {@code rename NAME} renames this device; {@code rename DEVICE NAME} the device named. */
    int rename(List<String> operands) throws IOException {
        CliState current = CliState.load(state);
        String ownId = current.identity().deviceId();
        Device device = new Device(api, current.identity());
        String name = operands.getLast();
        String oldName;
        PocketBridgeApi.DeviceInfo renamed;
        if (operands.size() == 1) {
            oldName = current.identity().deviceName();
            renamed = device.renameDevice(ownId, name);
        } else {
            String token = device.accessToken(); // one token for the list and the change
            PocketBridgeApi.DeviceInfo target = resolve(api.listDevices(token).devices(), operands.getFirst());
            oldName = target.deviceName();
            renamed = api.renameDevice(token, target.deviceId(), name);
        }
        boolean self = ownId.equals(renamed.deviceId());
        out.println("renamed \"" + oldName + "\" to \"" + renamed.deviceName() + "\" ("
                + (self ? "this device, " : "device ") + renamed.deviceId() + ")");
        if (self) {
            // read again just before writing, so a device_seq saved meanwhile by a send is kept
            CliState.load(state).withDeviceName(renamed.deviceName()).save(state);
        }
        return Main.EXIT_OK;
    }

    int remove(String reference, boolean yes) throws IOException {
        CliState current = CliState.load(state);
        Device device = new Device(api, current.identity());
        String token = device.accessToken();
        List<PocketBridgeApi.DeviceInfo> devices = api.listDevices(token).devices();
        PocketBridgeApi.DeviceInfo target = resolve(devices, reference);
        boolean self = target.deviceId().equals(current.identity().deviceId());
        if (self) {
            out.println(label(target) + " is this device. Removing it signs it out for good: its identity in "
                    + state + " can never sign in again, and that file is deleted.");
            if (devices.size() == 1) {
                out.println("It is your only device: afterwards no device can reach your account or decrypt its"
                        + " events. To erase the account instead, use delete-account.");
            }
            if (!yes) {
                if (!confirmed("remove")) {
                    err.println("aborted: nothing was removed (type remove to confirm, or pass --yes)");
                    return Main.EXIT_FAILED;
                }
                token = device.accessToken(); // the question may have waited longer than a token lives
            }
        }
        api.removeDevice(token, target.deviceId());
        if (!self) {
            out.println("removed " + label(target) + ": its sessions are closed and its tokens no longer work");
            return Main.EXIT_OK;
        }
        Files.deleteIfExists(state);
        DeviceLock.deleteLockFile(state);
        out.println("removed this device, " + label(target) + "; its identity is useless now, deleted " + state);
        out.println("to use this machine again, join with a pairing code from another of your devices:"
                + " pocketbridge-cli join --code CODE --name NAME");
        return Main.EXIT_OK;
    }

    int deleteAccount(boolean yes) throws IOException {
        CliState current = CliState.load(state);
        if (!yes) {
            out.println("This deletes your PocketBridge account (user " + current.identity().userId()
                    + ") for good:");
            out.println("  every device of the account, this one included, is signed out at once;");
            out.println("  all its data on the server (devices, events, pairing codes) is erased within 60 s.");
            if (!confirmed("delete")) {
                err.println("aborted: nothing was deleted (type delete to confirm, or pass --yes)");
                return Main.EXIT_FAILED;
            }
        }
        PocketBridgeApi.UserDeletion deletion = new Device(api, current.identity()).deleteUser();
        Files.deleteIfExists(state);
        DeviceLock.deleteLockFile(state);
        out.println("account deletion started (" + deletion.status() + "): every device is signed out, and all"
                + " data is erased within 60 s");
        out.println("deleted " + state + ": this device's identity is useless now");
        return Main.EXIT_OK;
    }

    /**
     * The device {@code reference} names: its id, or its name as the server compares names (trimmed,
     * NFC, case-insensitive). None, or more than one (a name that is another device's id), is an error.
     */
    static PocketBridgeApi.DeviceInfo resolve(List<PocketBridgeApi.DeviceInfo> devices, String reference) {
        String key = nameKey(reference);
        List<PocketBridgeApi.DeviceInfo> matches = (devices == null ? List.<PocketBridgeApi.DeviceInfo>of() : devices)
                .stream()
                .filter(d -> reference.strip().equalsIgnoreCase(d.deviceId())
                        || (d.deviceName() != null && nameKey(d.deviceName()).equals(key)))
                .toList();
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("none of your devices is named or has the id \"" + reference
                    + "\" (pocketbridge-cli devices lists them)");
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("\"" + reference + "\" matches more than one device: "
                    + String.join(", ", matches.stream().map(DeviceCommands::label).toList())
                    + "; give the device id");
        }
        return matches.getFirst();
    }

    /**
     * The server's rule for names that collide (device-service's README, "Device names"): control
     * and format characters removed, NFC, whitespace (no-break spaces too) trimmed, upper- then
     * lower-cased, NFC again.
     */
    static String nameKey(String name) {
        StringBuilder kept = new StringBuilder();
        name.codePoints()
                .filter(cp -> Character.getType(cp) != Character.CONTROL && Character.getType(cp) != Character.FORMAT)
                .forEach(kept::appendCodePoint);
        String nfc = Normalizer.normalize(kept, Normalizer.Form.NFC);
        int start = 0;
        int end = nfc.length();
        while (start < end && isSpace(nfc.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(nfc.charAt(end - 1))) {
            end--;
        }
        String trimmed = nfc.substring(start, end);
        return Normalizer.normalize(trimmed.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static String label(PocketBridgeApi.DeviceInfo device) {
        return "\"" + device.deviceName() + "\" (" + device.deviceId() + ")";
    }

    /** Asks for {@code word} on standard input; false when something else or nothing (end of input) comes. */
    private boolean confirmed(String word) throws IOException {
        out.print("Type " + word + " to confirm: ");
        out.flush();
        String answer = in.readLine();
        if (answer == null) {
            out.println();
            return false;
        }
        return answer.strip().equalsIgnoreCase(word);
    }
}
