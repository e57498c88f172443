//! Group commit: deliveries that arrive while a commit runs share the next one, each still
//! durable before its request is answered.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use super::{Filed, NewDelivery};
use crate::delivery::store::{StoreError, StoreFuture};

/// Writes one batch of rows in one transaction; one answer per row, in order.
pub(crate) type WriteBatch =
    Arc<dyn Fn(Vec<NewDelivery>) -> StoreFuture<'static, Vec<Filed>> + Send + Sync>;

/// One request's rows, and where its answer goes.
struct Job {
    deliveries: Vec<NewDelivery>,
    reply: oneshot::Sender<Result<Vec<Filed>, String>>,
}

/// The one writer of an inbox, and the queue in front of it.
#[derive(Clone)]
pub(crate) struct Batcher {
    jobs: mpsc::Sender<Job>,
}

impl Batcher {
    /// How many rows at most one commit carries.
    pub(crate) const MAX_ROWS: usize = 256;

    /// Starts the writer on the current tokio runtime.
    pub(crate) fn spawn(write: WriteBatch) -> Self {
        let (jobs, mut queue) = mpsc::channel::<Job>(4 * Self::MAX_ROWS);
        tokio::spawn(async move {
            while let Some(first) = queue.recv().await {
                let mut rows = first.deliveries;
                let mut replies = vec![(first.reply, rows.len())];
                while rows.len() < Self::MAX_ROWS {
                    let Ok(job) = queue.try_recv() else { break };
                    replies.push((job.reply, job.deliveries.len()));
                    rows.extend(job.deliveries);
                }
                match write(rows).await {
                    Ok(filed) => {
                        let mut filed = filed.into_iter();
                        for (reply, count) in replies {
                            let _ = reply.send(Ok(filed.by_ref().take(count).collect()));
                        }
                    }
                    // The whole batch failed: every request in it is refused, and retried.
                    Err(error) => {
                        let message = error.to_string();
                        for (reply, _) in replies {
                            let _ = reply.send(Err(message.clone()));
                        }
                    }
                }
            }
        });
        Self { jobs }
    }

    /// Files one request's rows with whatever else arrives meanwhile.
    pub(crate) async fn file(
        &self,
        deliveries: Vec<NewDelivery>,
    ) -> Result<Vec<Filed>, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { deliveries, reply })
            .await
            .map_err(|_| StoreError::new("the inbox writer has stopped"))?;
        answer
            .await
            .map_err(|_| StoreError::new("the inbox writer has stopped"))?
            .map_err(StoreError::new)
    }
}
