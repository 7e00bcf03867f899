package dev.pocketbridge.jpa;

import org.springframework.data.domain.Persistable;

import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;

/**
 * An entity whose id the application assigns (a random token, a hash, a UUID v7). Spring Data
 * cannot tell such an entity is new from its id, and would {@code merge} it (a SELECT, then an
 * INSERT); this tells it: new until stored or loaded, so {@code save} is a plain INSERT and a
 * clash with an existing row fails on the unique key instead of overwriting it.
 */
@MappedSuperclass
public abstract class AssignedIdEntity<ID> implements Persistable<ID> {

    @Transient
    private boolean isNew = true;

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        isNew = false;
    }
}
