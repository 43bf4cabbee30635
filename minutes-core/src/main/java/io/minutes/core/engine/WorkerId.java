package io.minutes.core.engine;

import java.net.InetAddress;
import java.util.Optional;
import java.util.UUID;

/**
 * Who holds a lease: {@code host/pid/random}. Encoding host and pid lets a process that restarts on
 * the same machine see at once that the previous holder is dead, instead of waiting for its leases
 * to expire.
 */
public record WorkerId(String host, long pid, String nonce) {

    public static WorkerId forThisProcess() {
        return new WorkerId(localHost(), ProcessHandle.current().pid(),
                UUID.randomUUID().toString().substring(0, 8));
    }

    public static Optional<WorkerId> parse(String owner) {
        String[] parts = owner.split("/", 3);
        if (parts.length != 3) return Optional.empty();
        try {
            return Optional.of(new WorkerId(parts[0], Long.parseLong(parts[1]), parts[2]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True when this id names a process on this machine that is no longer running. */
    public boolean isDeadLocalProcess() {
        if (!host.equals(localHost())) return false;
        if (pid == ProcessHandle.current().pid()) return false;
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    @Override
    public String toString() {
        return host + "/" + pid + "/" + nonce;
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
