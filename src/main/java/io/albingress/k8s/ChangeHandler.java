package io.albingress.k8s;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.BiConsumer;

/** An informer handler as one function of (old, now): null old for an add, null now for a delete. */
public final class ChangeHandler {
  private ChangeHandler() {}

  public static <T> ResourceEventHandler<T> of(BiConsumer<T, T> change) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        change.accept(null, obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        change.accept(oldObj, newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        change.accept(obj, null);
      }
    };
  }
}
