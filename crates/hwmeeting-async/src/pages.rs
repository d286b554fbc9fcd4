//! Every item of a paginated search, as a stream that asks for one page
//! after another (the walk itself is core's `page::PageWalk`).

use futures_util::{Stream, StreamExt};
use hwmeeting_core::Error;
use hwmeeting_core::page::{Paginated, Pending};

use crate::Client;

/// One item of [`Client::pages`]: an item of the search, or the error that
/// ended it.
pub type PageItem<R> = Result<<R as Paginated>::Item, Error>;

impl Client {
    /// Every item of a paginated search (an operation whose spec has a
    /// `pagination`: `search_meetings`, `search_his_meetings`, ...), page
    /// after page, as a stream. The generated `<operation>_all` methods
    /// call this.
    ///
    /// The page size is the request's limit (`limit`), or 100 (less where
    /// the spec allows less); the walk starts at the request's offset, or
    /// at the first item, and ends at the total count, or at an empty page.
    /// Each page is one call, with the client's retries and time limits;
    /// an error is the last item. Nothing is sent until the stream is
    /// polled; once it has ended, it keeps answering `None`.
    ///
    /// ```no_run
    /// use futures_util::StreamExt;
    /// use hwmeeting_async::Client;
    /// use hwmeeting_async::model::SearchMeetingsRequest;
    ///
    /// # async fn run(client: &Client) -> Result<(), hwmeeting_async::Error> {
    /// let meetings = client.search_meetings_all(SearchMeetingsRequest::new().limit(50));
    /// let mut meetings = std::pin::pin!(meetings);
    /// while let Some(meeting) = meetings.next().await {
    ///     let meeting = meeting?;
    ///     println!("{:?} {:?}", meeting.conference_id, meeting.subject);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages<R>(&self, request: R) -> impl Stream<Item = PageItem<R>> + Send + '_
    where
        R: Paginated + Send + Sync + 'static,
    {
        futures_util::stream::unfold(Some(Pending::new(request)), move |state| async move {
            let mut pending = state?;
            loop {
                if let Some(item) = pending.buffer.pop_front() {
                    return Some((Ok(item), Some(pending)));
                }
                let request = pending.walk.next_request()?;
                match self.send(request).await {
                    Ok(output) => {
                        let items = pending.walk.accept(output);
                        pending.buffer.extend(items);
                    }
                    // The error is the last item.
                    Err(error) => return Some((Err(error), None)),
                }
            }
        })
        // Polling after the end answers `None` again, as the iterator does.
        .fuse()
    }
}
