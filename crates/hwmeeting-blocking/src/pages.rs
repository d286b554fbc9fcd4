//! Every item of a paginated search, as an iterator that asks for one page
//! after another (the walk itself is core's `page::PageWalk`).

use hwmeeting_core::Error;
use hwmeeting_core::page::{Paginated, Pending};

use crate::Client;

/// An iterator over every item of a paginated search: see
/// [`Client::pages`]. Each page is one call, with the client's retries and
/// time limits; an error is the last item.
#[derive(Debug)]
#[must_use = "an iterator does nothing until it is walked"]
pub struct Pages<'a, R: Paginated> {
    client: &'a Client,
    pending: Pending<R>,
}

impl<R: Paginated> Pages<'_, R> {
    /// The total count of the last page received (`None` before the first,
    /// or when the service does not say).
    pub fn total(&self) -> Option<i64> {
        self.pending.walk.total()
    }

    /// The page size asked for.
    pub fn page_size(&self) -> i64 {
        self.pending.walk.page_size()
    }
}

impl<R: Paginated> Iterator for Pages<'_, R> {
    type Item = Result<R::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pending.buffer.pop_front() {
                return Some(Ok(item));
            }
            let request = self.pending.walk.next_request()?;
            match self.client.send(request) {
                Ok(output) => {
                    let items = self.pending.walk.accept(output);
                    self.pending.buffer.extend(items);
                }
                Err(error) => {
                    self.pending.walk.stop();
                    return Some(Err(error));
                }
            }
        }
    }
}

impl Client {
    /// Every item of a paginated search (an operation whose spec has a
    /// `pagination`: `search_meetings`, `search_his_meetings`, ...), page
    /// after page, as an iterator. The generated `<operation>_all` methods
    /// call this.
    ///
    /// The page size is the request's limit (`limit`), or 100 (less where
    /// the spec allows less); the walk starts at the request's offset, or
    /// at the first item, and ends at the total count, or at an empty page.
    /// Nothing is sent until the iterator is walked.
    ///
    /// ```no_run
    /// use hwmeeting_blocking::Client;
    /// use hwmeeting_blocking::model::SearchMeetingsRequest;
    ///
    /// # fn run(client: &Client) -> Result<(), hwmeeting_blocking::Error> {
    /// for meeting in client.search_meetings_all(SearchMeetingsRequest::new().limit(50)) {
    ///     let meeting = meeting?;
    ///     println!("{:?} {:?}", meeting.conference_id, meeting.subject);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages<R: Paginated>(&self, request: R) -> Pages<'_, R> {
        Pages {
            client: self,
            pending: Pending::new(request),
        }
    }
}
