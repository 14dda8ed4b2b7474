package io.albingress.aws;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Follows NextToken/NextMarker pagination, one page at a time, without blocking. */
public final class Paging {
  private Paging() {}

  /**
   * @param page calls the API with a token (null for the first page)
   * @param items the page's items
   * @param next the next token, null or empty at the end
   */
  public static <R, T> Future<List<T>> all(Function<String, Future<R>> page, Function<R, List<T>> items, Function<R, String> next) {
    return collect(page, items, next, null, new ArrayList<>());
  }

  private static <R, T> Future<List<T>> collect(Function<String, Future<R>> page, Function<R, List<T>> items,
      Function<R, String> next, String token, List<T> acc) {
    return page.apply(token).compose(response -> {
      acc.addAll(items.apply(response));
      String nextToken = next.apply(response);
      return nextToken == null || nextToken.isEmpty() ? Future.succeededFuture(acc) : collect(page, items, next, nextToken, acc);
    });
  }
}
