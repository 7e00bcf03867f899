package dev.pocketbridge.client;

import dev.pocketbridge.common.protocol.ServerFrame;

/** What {@link DeviceSession#replayPages} does with each page as it comes. */
@FunctionalInterface
public interface ReplayPageHandler<X extends Exception> {

    /** Handles one page; returns whether to ask for the next one (when there is one). */
    boolean handle(ServerFrame.ReplayResponse page) throws X;
}
