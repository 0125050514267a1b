package dev.vepconnector.monitoring;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live feed of group changes (server-sent events, event name {@code group}). Changes are collected
 * as they commit and sent by a scheduler twice a second, so a slow client never holds up ingestion.
 */
@Component
class GroupFeed {

    private final GroupMonitor monitor;
    private final List<SseEmitter> clients = new CopyOnWriteArrayList<>();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();

    GroupFeed(GroupMonitor monitor) {
        this.monitor = monitor;
        monitor.onChange(changed::addAll);
    }

    /** A new subscriber; it first gets every group as it is now. */
    SseEmitter subscribe() {
        SseEmitter emitter = new SseEmitter(0L);
        emitter.onCompletion(() -> clients.remove(emitter));
        emitter.onTimeout(() -> clients.remove(emitter));
        emitter.onError(e -> clients.remove(emitter));
        clients.add(emitter);
        for (GroupView group : monitor.all()) {
            send(emitter, group);
        }
        return emitter;
    }

    /** Open feeds would hold a graceful shutdown until its timeout: end them first. */
    @EventListener(ContextClosedEvent.class)
    void closeAll() {
        clients.forEach(SseEmitter::complete);
        clients.clear();
    }

    @Scheduled(fixedDelay = 500)
    void flush() {
        if (changed.isEmpty() || clients.isEmpty()) {
            changed.clear();
            return;
        }
        List<String> ids = List.copyOf(changed);
        changed.removeAll(ids);
        for (String id : ids) {
            monitor.find(id).ifPresent(group -> clients.forEach(client -> send(client, group)));
        }
    }

    private void send(SseEmitter emitter, GroupView group) {
        try {
            emitter.send(SseEmitter.event().name("group").data(group, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            clients.remove(emitter);
        }
    }
}
